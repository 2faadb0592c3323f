using Orleans;

namespace Tributary.Grains.KafkaFormats.Groups;

/// <summary>A protocol a member supports (an assignor's name) and its metadata (the subscription, for consumers).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupProtocolData")]
public sealed record GroupProtocolData([property: Id(0)] string Name, [property: Id(1)] byte[] Metadata);

/// <summary>JoinGroup as the group coordinator takes it: from the Kafka listener, the REST Proxy's consumers, the group engine.</summary>
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

/// <summary>A member as the leader sees it in its JoinGroup answer: its metadata for the chosen protocol.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupJoinedMember")]
public sealed record GroupJoinedMember([property: Id(0)] string MemberId, [property: Id(1)] string? GroupInstanceId, [property: Id(2)] byte[] Metadata);

/// <summary>The answer to a JoinGroup; the members are listed to the leader only.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupJoinResult")]
public sealed record GroupJoinResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] int GenerationId,
    [property: Id(2)] string? ProtocolType,
    [property: Id(3)] string? ProtocolName,
    [property: Id(4)] string Leader,
    [property: Id(5)] string MemberId,
    [property: Id(6)] IReadOnlyList<GroupJoinedMember> Members,
    [property: Id(7)] bool SkipAssignment)
{
    public static GroupJoinResult Failed(ErrorCode error, string memberId = "") => new(error, -1, null, null, "", memberId, [], false);
}
