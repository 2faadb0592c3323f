using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Groups;

/// <summary>
/// What of a group survives a restart of its coordinator: the generation, protocol, leader and members with their
/// assignments, as of the last time the group was Stable or Empty. Members then only need to keep heartbeating.
/// </summary>
public sealed record GroupSnapshot(
    int Generation,
    string? ProtocolType,
    string? ProtocolName,
    string? LeaderId,
    long EmptySinceMs,
    IReadOnlyList<MemberSnapshot> Members);

/// <summary>One member in a <see cref="GroupSnapshot"/>.</summary>
public sealed record MemberSnapshot(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    IReadOnlyList<GroupProtocolData> Protocols,
    byte[] Assignment);
