using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.RestConsumers;

/// <summary>The JoinGroup an instance sends: one protocol (the range assignor) whose metadata is its subscription.</summary>
public sealed record JoinGroupRequest(
    string MemberId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    string ProtocolName,
    byte[] Metadata,
    bool RequireKnownMemberId,
    bool SupportsSkipAssignment);

/// <summary>A member as the leader sees it in its JoinGroup answer: its subscription in <paramref name="Metadata"/>.</summary>
public sealed record JoinedMember(string MemberId, byte[] Metadata);

/// <summary>The group's answer to a JoinGroup.</summary>
public sealed record JoinGroupAnswer(
    ErrorCode Error,
    int GenerationId,
    string? ProtocolName,
    string Leader,
    string MemberId,
    IReadOnlyList<JoinedMember> Members);

/// <summary>The SyncGroup an instance sends: as the leader with every member's assignment, else with none.</summary>
public sealed record SyncGroupRequest(
    string MemberId,
    int GenerationId,
    string ProtocolType,
    string? ProtocolName,
    IReadOnlyDictionary<string, byte[]> Assignments);

/// <summary>The group's answer to a SyncGroup: the instance's assignment in the consumer protocol's encoding.</summary>
public sealed record SyncGroupAnswer(ErrorCode Error, byte[] Assignment);
