using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Groups;

/// <summary>One member of a classic group: who it is, what it supports, what it was assigned, and what it waits for.</summary>
internal sealed class GroupMember(string memberId, GroupJoinRequest join)
{
    public string MemberId { get; set; } = memberId;

    public string? GroupInstanceId { get; } = join.GroupInstanceId;

    public string ClientId { get; private set; } = join.ClientId;

    public string ClientHost { get; private set; } = join.ClientHost;

    public int SessionTimeoutMs { get; private set; } = join.SessionTimeoutMs;

    public int RebalanceTimeoutMs { get; private set; } = RebalanceTimeoutOf(join);

    public string ProtocolType { get; private set; } = join.ProtocolType;

    public IReadOnlyList<GroupProtocolData> Protocols { get; private set; } = join.Protocols;

    public bool SupportsSkipAssignment { get; private set; } = join.SupportsSkipAssignment;

    public byte[] Assignment { get; set; } = [];

    public long LastHeartbeatMs { get; set; }

    /// <summary>The member's JoinGroup, parked until the rebalance completes.</summary>
    public TaskCompletionSource<GroupJoinResult>? AwaitingJoin { get; set; }

    /// <summary>The member's SyncGroup, parked until the leader's assignment arrives.</summary>
    public TaskCompletionSource<GroupSyncResult>? AwaitingSync { get; set; }

    public bool IsStatic => GroupInstanceId is not null;

    public byte[] MetadataFor(string? protocol) =>
        Protocols.FirstOrDefault(p => p.Name == protocol)?.Metadata ?? [];

    /// <summary>True when a JoinGroup asks for exactly what this member already has.</summary>
    public bool SameProtocols(GroupJoinRequest join) =>
        join.ProtocolType == ProtocolType
        && join.Protocols.Count == Protocols.Count
        && join.Protocols.Zip(Protocols).All(p => p.First.Name == p.Second.Name && p.First.Metadata.AsSpan().SequenceEqual(p.Second.Metadata));

    public void Update(GroupJoinRequest join)
    {
        ClientId = join.ClientId;
        ClientHost = join.ClientHost;
        SessionTimeoutMs = join.SessionTimeoutMs;
        RebalanceTimeoutMs = RebalanceTimeoutOf(join);
        ProtocolType = join.ProtocolType;
        Protocols = join.Protocols;
        SupportsSkipAssignment = join.SupportsSkipAssignment;
    }

    /// <summary>JoinGroup v0 has no rebalance timeout: the session timeout serves.</summary>
    private static int RebalanceTimeoutOf(GroupJoinRequest join) => join.RebalanceTimeoutMs > 0 ? join.RebalanceTimeoutMs : join.SessionTimeoutMs;
}
