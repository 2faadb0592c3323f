
using Tributary.Grains.Groups;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Actors.Groups;

/// <summary>The membership of a group as last Stable or Empty (see <see cref="GroupSnapshot"/>), as stored.</summary>
[GenerateSerializer, Alias("Tributary.Grains.GroupMembershipState")]
public sealed class GroupMembershipState
{
    [Id(0)]
    public int Generation { get; set; }

    [Id(1)]
    public string? ProtocolType { get; set; }

    [Id(2)]
    public string? ProtocolName { get; set; }

    [Id(3)]
    public string? LeaderId { get; set; }

    [Id(4)]
    public long EmptySinceMs { get; set; }

    [Id(5)]
    public List<StoredMember> Members { get; set; } = [];

    public static GroupMembershipState From(GroupSnapshot snapshot) => new()
    {
        Generation = snapshot.Generation,
        ProtocolType = snapshot.ProtocolType,
        ProtocolName = snapshot.ProtocolName,
        LeaderId = snapshot.LeaderId,
        EmptySinceMs = snapshot.EmptySinceMs,
        Members = snapshot.Members.Select(m => new StoredMember
        {
            MemberId = m.MemberId,
            GroupInstanceId = m.GroupInstanceId,
            ClientId = m.ClientId,
            ClientHost = m.ClientHost,
            SessionTimeoutMs = m.SessionTimeoutMs,
            RebalanceTimeoutMs = m.RebalanceTimeoutMs,
            ProtocolType = m.ProtocolType,
            ProtocolNames = m.Protocols.Select(p => p.Name).ToList(),
            ProtocolMetadata = m.Protocols.Select(p => p.Metadata).ToList(),
            Assignment = m.Assignment,
        }).ToList(),
    };

    public GroupSnapshot ToSnapshot() => new(
        Generation,
        ProtocolType,
        ProtocolName,
        LeaderId,
        EmptySinceMs,
        Members.Select(m => new MemberSnapshot(
            m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.SessionTimeoutMs, m.RebalanceTimeoutMs, m.ProtocolType,
            m.ProtocolNames.Zip(m.ProtocolMetadata, (name, metadata) => new GroupProtocolData(name, metadata)).ToList(),
            m.Assignment)).ToList());
}

[GenerateSerializer, Alias("Tributary.Grains.StoredMember")]
public sealed class StoredMember
{
    [Id(0)]
    public string MemberId { get; set; } = "";

    [Id(1)]
    public string? GroupInstanceId { get; set; }

    [Id(2)]
    public string ClientId { get; set; } = "";

    [Id(3)]
    public string ClientHost { get; set; } = "";

    [Id(4)]
    public int SessionTimeoutMs { get; set; }

    [Id(5)]
    public int RebalanceTimeoutMs { get; set; }

    [Id(6)]
    public string ProtocolType { get; set; } = "";

    [Id(7)]
    public List<string> ProtocolNames { get; set; } = [];

    [Id(8)]
    public List<byte[]> ProtocolMetadata { get; set; } = [];

    [Id(9)]
    public byte[] Assignment { get; set; } = [];
}

/// <summary>A group's committed offsets, as stored.</summary>
[GenerateSerializer, Alias("Tributary.Grains.GroupOffsetsState")]
public sealed class GroupOffsetsState
{
    [Id(0)]
    public List<StoredOffset> Offsets { get; set; } = [];

    /// <summary>Offsets committed by transactions still open, with their producer ids.</summary>
    [Id(1)]
    public List<StoredPendingOffset> Pending { get; set; } = [];
}

[GenerateSerializer, Alias("Tributary.Grains.StoredPendingOffset")]
public sealed record StoredPendingOffset([property: Id(0)] long ProducerId, [property: Id(1)] StoredOffset Offset);

[GenerateSerializer, Alias("Tributary.Grains.StoredOffset")]
public sealed record StoredOffset(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] int LeaderEpoch,
    [property: Id(4)] string? Metadata,
    [property: Id(5)] long CommitTimestampMs);
