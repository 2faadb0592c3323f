using Orleans;

namespace Tributary.Grains.KafkaFormats.Groups;

/// <summary>A member by member id or (a static member) instance id, as LeaveGroup names it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupMemberIdentity")]
public sealed record GroupMemberIdentity([property: Id(0)] string MemberId, [property: Id(1)] string? GroupInstanceId);

/// <summary>One member as DescribeGroups shows it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupMemberDescription")]
public sealed record GroupMemberDescription(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] string ClientHost,
    [property: Id(4)] byte[] Metadata,
    [property: Id(5)] byte[] Assignment);
