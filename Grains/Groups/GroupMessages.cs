namespace Tributary.Grains.Groups;

/// <summary>A protocol a member supports (an assignor name) and its subscription bytes.</summary>
public sealed record GroupProtocol(string Name, byte[] Metadata);

/// <summary>JoinGroup as the coordinator needs it.</summary>
public sealed record JoinGroupInput(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    IReadOnlyList<GroupProtocol> Protocols,
    bool RequireKnownMemberId,
    bool SupportsSkipAssignment);

/// <summary>A member as the leader sees it in its JoinGroup answer.</summary>
public sealed record JoinedMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

/// <summary>The answer to a JoinGroup.</summary>
public sealed record JoinGroupOutcome(
    Tributary.Grains.KafkaFormats.ErrorCode Error,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string Leader,
    string MemberId,
    IReadOnlyList<JoinedMember> Members,
    bool SkipAssignment)
{
    public static JoinGroupOutcome Failed(Tributary.Grains.KafkaFormats.ErrorCode error, string memberId = "") =>
        new(error, -1, null, null, "", memberId, [], false);
}

/// <summary>SyncGroup as the coordinator needs it.</summary>
public sealed record SyncGroupInput(
    string MemberId,
    string? GroupInstanceId,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyDictionary<string, byte[]> Assignments);

/// <summary>The answer to a SyncGroup.</summary>
public sealed record SyncGroupOutcome(Tributary.Grains.KafkaFormats.ErrorCode Error, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncGroupOutcome Failed(Tributary.Grains.KafkaFormats.ErrorCode error) => new(error, null, null, []);
}

/// <summary>A member to remove with LeaveGroup, by member id or (static members) instance id.</summary>
public sealed record LeavingMember(string MemberId, string? GroupInstanceId);

/// <summary>One member as DescribeGroups shows it.</summary>
public sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);
