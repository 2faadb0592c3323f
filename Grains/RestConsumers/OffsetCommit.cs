namespace Tributary.Grains.RestConsumers;

/// <summary>
/// An OffsetCommit to send to the group: as a member (its id and generation), or as a simple consumer (an empty member
/// id and generation -1) when the instance's partitions were assigned by hand or it has not joined yet.
/// </summary>
public sealed record OffsetCommit(string MemberId, int GenerationId, IReadOnlyList<PartitionOffset> Offsets);

/// <summary>A committed partition: the position the instance had consumed to and the offset committed.</summary>
public sealed record CommittedPosition(TopicPartition Partition, long Consumed, long Committed);

/// <summary>A commit's answer to the client: every partition committed, or the error (and its message) of the first that was not.</summary>
public sealed record CommitOutcome(RestConsumerError Error, string? Message, IReadOnlyList<CommittedPosition> Partitions);
