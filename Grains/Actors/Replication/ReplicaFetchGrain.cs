using Orleans.Concurrency;
using Orleans.Placement;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Interfaces.Replication;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// The leader side of replica fetches on this broker (see <see cref="IReplicaFetchGrain"/>): a thin adapter over the
/// engine's <see cref="LocalReplicaSource"/>, which answers every partition of a follower broker's call from the
/// leaders registered in <see cref="LocalLeaders"/>, within the broker's leader replication throttle. Reentrant: the long polls of several follower brokers wait side
/// by side.
/// </summary>
[BrokerPlacement]
[Immovable]
[Reentrant]
public sealed class ReplicaFetchGrain(LocalLeaders leaders, ReplicationQuotas quotas) : Grain, IReplicaFetchGrain
{
    private readonly LocalReplicaSource _source = new(leaders.Find, quotas.Leader);

    public Task<IReadOnlyList<ReplicaFetchResponse>> FetchAsync(
        IReadOnlyList<ReplicaPartitionFetch> fetches, TimeSpan maxWait, int responseMaxBytes, CancellationToken cancellation = default) =>
        _source.FetchAsync(fetches, maxWait, responseMaxBytes, cancellation);
}
