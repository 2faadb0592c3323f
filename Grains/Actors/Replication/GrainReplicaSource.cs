using Tributary.Grains.Interfaces.Replication;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Replication;

/// <summary>A follower broker's way to one leader broker: its <see cref="IReplicaFetchGrain"/>, one call per fetch round.</summary>
public sealed class GrainReplicaSource(IGrainFactory grains, int leaderBrokerId) : IReplicaSource
{
    public Task<IReadOnlyList<ReplicaFetchResponse>> FetchAsync(
        IReadOnlyList<ReplicaPartitionFetch> fetches, TimeSpan maxWait, int responseMaxBytes, CancellationToken cancellationToken) =>
        grains.GetGrain<IReplicaFetchGrain>(leaderBrokerId).FetchAsync(fetches, maxWait, responseMaxBytes, cancellationToken);
}
