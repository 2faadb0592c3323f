using Orleans.Concurrency;
using Orleans.Placement;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Interfaces.Replication;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// The controller's way to one broker's <see cref="ReplicaManager"/> (see <see cref="IBrokerReplicasGrain"/>): it hands
/// the registrations over and answers at once, so that it never holds a request open while the replica manager
/// waits for a partition grain.
/// </summary>
[BrokerPlacement]
[Immovable]
[Reentrant]
public sealed class BrokerReplicasGrain(ReplicaManager replicas) : Grain, IBrokerReplicasGrain
{
    public Task ApplyAsync(string topic, Guid topicId, IReadOnlyDictionary<string, string> configs, IReadOnlyList<PartitionRegistrationUpdate> partitions)
    {
        replicas.Enqueue(topic, topicId, configs, partitions);
        return Task.CompletedTask;
    }
}
