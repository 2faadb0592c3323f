using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Interfaces.Groups;

/// <summary>
/// One consumer group's coordinator, keyed by group id: membership and rebalances (Kafka's classic protocol) and the
/// group's committed offsets. JoinGroup and SyncGroup calls wait inside the grain until the rebalance reaches them.
/// </summary>
[Alias("Tributary.Groups.IConsumerGroupGrain")]
public interface IConsumerGroupGrain : IGrainWithStringKey
{
    /// <summary>
    /// JoinGroup: answered when the rebalance completes, which may take up to the group's rebalance timeout (the
    /// members' <c>max.poll.interval.ms</c>), hence the long response timeout. Cancelling stops the wait, not the join:
    /// the member stays in the rebalance, as Kafka keeps the join of a client whose connection closed.
    /// </summary>
    [Alias("Join"), ResponseTimeout(LongCalls.ClientBoundedWait)]
    Task<GroupJoinResult> JoinAsync(GroupJoinRequest request, CancellationToken cancellationToken = default);

    /// <summary>SyncGroup: a follower's is answered when the leader's assignment arrives, or the rebalance timeout passes.</summary>
    [Alias("Sync"), ResponseTimeout(LongCalls.ClientBoundedWait)]
    Task<GroupSyncResult> SyncAsync(GroupSyncRequest request, CancellationToken cancellationToken = default);

    [Alias("Heartbeat")]
    Task<ErrorCode> HeartbeatAsync(string memberId, string? groupInstanceId, int generationId);

    /// <summary>Removes members; returns each one's error in order.</summary>
    [Alias("Leave")]
    Task<IReadOnlyList<ErrorCode>> LeaveAsync(IReadOnlyList<GroupMemberIdentity> members);

    /// <summary>Stores offsets durably before answering; returns each partition's error in order.</summary>
    [Alias("CommitOffsets")]
    Task<IReadOnlyList<ErrorCode>> CommitOffsetsAsync(OffsetCommitRequestData request);

    /// <summary>
    /// TxnOffsetCommit: offsets a transactional producer commits with its transaction, stored durably but visible only
    /// once the transaction commits (<see cref="CompleteTransactionAsync"/>). Returns each partition's error in order.
    /// </summary>
    [Alias("TxnCommitOffsets")]
    Task<IReadOnlyList<ErrorCode>> TxnCommitOffsetsAsync(long producerId, short producerEpoch, OffsetCommitRequestData request);

    /// <summary>The producer's transaction ended: its pending offsets become committed offsets, or are dropped.</summary>
    [Alias("CompleteTransaction")]
    Task CompleteTransactionAsync(long producerId, bool commit);

    /// <summary>
    /// The committed offsets of the partitions asked for, or of every partition when null; each says whether a
    /// transaction holds a pending offset for it (OffsetFetch's UNSTABLE_OFFSET_COMMIT).
    /// </summary>
    [Alias("FetchOffsets")]
    Task<IReadOnlyList<CommittedOffsetData>> FetchOffsetsAsync(IReadOnlyList<GroupTopicPartition>? partitions);

    [Alias("Describe")]
    Task<GroupDescription> DescribeAsync();

    /// <summary>DeleteGroups: NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND when there is no group.</summary>
    [Alias("Delete")]
    Task<ErrorCode> DeleteAsync();

    /// <summary>OffsetDelete: the group-level error, then each partition's error in order.</summary>
    [Alias("DeleteOffsets")]
    Task<(ErrorCode Group, IReadOnlyList<ErrorCode> Partitions)> DeleteOffsetsAsync(IReadOnlyList<GroupTopicPartition> partitions);
}

/// <summary>Every group by id, with its protocol type and state, for ListGroups. One instance, key 0.</summary>
[Alias("Tributary.Groups.IGroupCatalogGrain")]
public interface IGroupCatalogGrain : IGrainWithIntegerKey
{
    [Alias("Update")]
    Task UpdateAsync(string groupId, string? protocolType, string state);

    [Alias("Remove")]
    Task RemoveAsync(string groupId);

    [Alias("List")]
    Task<IReadOnlyList<GroupListing>> ListAsync();
}
