using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Topics;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// Whether every replica this broker holds is in sync (<see cref="ReplicaSync"/>), read from the controller's
/// registrations and this broker's followers: the gate of a rolling restart, which stops the next broker only once
/// this one has caught up (Kubernetes asks it as the StatefulSet's startup probe, <c>/health/in-sync</c>).
/// </summary>
public sealed class ReplicaSyncCheck(IGrainFactory grains, ReplicaManager replicas, IOptions<TributaryOptions> options)
{
    public async Task<ReplicaSyncReport> CheckAsync()
    {
        var brokerId = options.Value.BrokerId;
        var held = 0;
        var behind = new List<string>();
        foreach (var partition in await RegisteredPartitions.ListAsync(grains))
        {
            var key = new ReplicaKey(partition.Topic, partition.Partition);
            var state = ReplicaSync.Of(partition.Registration, brokerId, replicas.FollowerCaughtUp(key));
            if (state == ReplicaSyncState.NotHeld)
            {
                continue;
            }

            held++;
            if (state != ReplicaSyncState.InSync)
            {
                behind.Add($"{partition.Topic}-{partition.Partition} ({(state == ReplicaSyncState.OutOfIsr ? "not in the ISR" : "catching up")})");
            }
        }

        return new ReplicaSyncReport(held, behind);
    }
}

/// <summary>How many replicas the broker holds, and which of them are not in sync (with why).</summary>
public sealed record ReplicaSyncReport(int Replicas, IReadOnlyList<string> NotInSync)
{
    public bool InSync => NotInSync.Count == 0;
}
