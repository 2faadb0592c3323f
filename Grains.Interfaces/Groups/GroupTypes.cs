namespace Tributary.Grains.Interfaces.Groups;

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupProtocolData")]
public sealed record GroupProtocolData([property: Id(0)] string Name, [property: Id(1)] byte[] Metadata);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupJoinRequest")]
public sealed record GroupJoinRequest(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] string ClientHost,
    [property: Id(4)] int SessionTimeoutMs,
    [property: Id(5)] int RebalanceTimeoutMs,
    [property: Id(6)] string ProtocolType,
    [property: Id(7)] IReadOnlyList<GroupProtocolData> Protocols,
    [property: Id(8)] bool RequireKnownMemberId,
    [property: Id(9)] bool SupportsSkipAssignment);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupJoinedMember")]
public sealed record GroupJoinedMember([property: Id(0)] string MemberId, [property: Id(1)] string? GroupInstanceId, [property: Id(2)] byte[] Metadata);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupJoinResult")]
public sealed record GroupJoinResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] int GenerationId,
    [property: Id(2)] string? ProtocolType,
    [property: Id(3)] string? ProtocolName,
    [property: Id(4)] string Leader,
    [property: Id(5)] string MemberId,
    [property: Id(6)] IReadOnlyList<GroupJoinedMember> Members,
    [property: Id(7)] bool SkipAssignment);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupSyncRequest")]
public sealed record GroupSyncRequest(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] int GenerationId,
    [property: Id(3)] string? ProtocolType,
    [property: Id(4)] string? ProtocolName,
    [property: Id(5)] IReadOnlyDictionary<string, byte[]> Assignments);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupSyncResult")]
public sealed record GroupSyncResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ProtocolType,
    [property: Id(2)] string? ProtocolName,
    [property: Id(3)] byte[] Assignment);

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupMemberIdentity")]
public sealed record GroupMemberIdentity([property: Id(0)] string MemberId, [property: Id(1)] string? GroupInstanceId);

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

[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupMemberDescription")]
public sealed record GroupMemberDescription(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] string ClientHost,
    [property: Id(4)] byte[] Metadata,
    [property: Id(5)] byte[] Assignment);

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
