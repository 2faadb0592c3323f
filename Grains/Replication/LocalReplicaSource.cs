using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>
/// A replica source whose leaders are in this process: each fetch is answered by <see cref="ReplicaFetchServer"/>
/// over the <see cref="LeaderReplica"/> that <paramref name="leaderOf"/> names for the partition (null when this
/// process leads it no longer), throttled by <paramref name="quota"/> (the leader's replication throttle). The leader broker's side of a cluster's fetch call is this, behind a grain call.
/// </summary>
public sealed class LocalReplicaSource(Func<ReplicaKey, LeaderReplica?> leaderOf, ReplicationQuota? quota = null) : IReplicaSource
{
    public Task<IReadOnlyList<ReplicaFetchResponse>> FetchAsync(
        IReadOnlyList<ReplicaPartitionFetch> fetches, TimeSpan maxWait, int responseMaxBytes, CancellationToken cancellationToken) =>
        ReplicaFetchServer.FetchAsync([.. fetches.Select(f => new PartitionFetch(leaderOf(f.Key), f.Request))], maxWait, responseMaxBytes, cancellationToken, quota);
}
