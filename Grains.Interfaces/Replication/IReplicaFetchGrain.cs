using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Interfaces.Replication;

/// <summary>
/// The leader side of replica fetches on one broker (keyed by its broker id, living on its silo): a follower broker
/// sends every partition it follows on this broker in one call, which long-polls until one of them has data, a
/// diverging epoch or an error, or <c>maxWait</c> passes (Kafka's fetch from a replica with its DelayedFetch). A
/// partition this broker does not lead now is answered NOT_LEADER_OR_FOLLOWER. When the broker is not a live member
/// the call fails with <see cref="Partitions.BrokerNotAvailableException"/>.
/// </summary>
[Alias("Tributary.Replication.IReplicaFetchGrain")]
public interface IReplicaFetchGrain : IGrainWithIntegerKey
{
    /// <returns>One answer per fetch, in the order of <paramref name="fetches"/>.</returns>
    [Alias("Fetch")]
    Task<IReadOnlyList<ReplicaFetchResponse>> FetchAsync(
        IReadOnlyList<ReplicaPartitionFetch> fetches, TimeSpan maxWait, int responseMaxBytes, CancellationToken cancellation = default);
}
