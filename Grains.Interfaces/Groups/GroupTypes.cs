using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Interfaces.Groups;

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupTopicPartition")]
public sealed record GroupTopicPartition([property: Id(0)] string Topic, [property: Id(1)] int Partition);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.OffsetToCommit")]
public sealed record OffsetToCommit(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] int LeaderEpoch,
    [property: Id(4)] string? Metadata);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.OffsetCommitRequestData")]
public sealed record OffsetCommitRequestData(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] int GenerationId,
    [property: Id(3)] IReadOnlyList<OffsetToCommit> Offsets);

/// <summary>A committed offset; Offset is -1 for a partition with no commit.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.CommittedOffsetData")]
public sealed record CommittedOffsetData(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] int LeaderEpoch,
    [property: Id(4)] string? Metadata,
    [property: Id(5)] bool PendingTransaction = false);

/// <summary>A group as DescribeGroups shows it; State is Kafka's state name ("Dead" for a group that does not exist).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupDescription")]
public sealed record GroupDescription(
    [property: Id(0)] string State,
    [property: Id(1)] string ProtocolType,
    [property: Id(2)] string ProtocolName,
    [property: Id(3)] IReadOnlyList<GroupMemberDescription> Members);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupListing")]
public sealed record GroupListing(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string ProtocolType,
    [property: Id(2)] string State);
