using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Grains.KafkaFormats.OffsetsTopic;

/// <summary>
/// Kafka's GroupMetadataValue (group-coordinator's GroupMetadataValue.json, versions 0-4, flexible from 4): a classic
/// group's protocol type, generation, chosen protocol, leader, when its state last changed (2+) and its members with
/// their subscriptions and assignments. Kafka 3.9 writes version 3.
/// </summary>
public sealed record GroupMetadataValue(
    string ProtocolType,
    int Generation,
    string? Protocol,
    string? Leader,
    long CurrentStateTimestamp,
    IReadOnlyList<GroupMetadataMember> Members)
{
    /// <summary>The version Kafka 3.9 writes.</summary>
    public const short CurrentVersion = 3;

    public byte[] Serialize(short version = CurrentVersion)
    {
        if (version is < 0 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "GroupMetadataValue has versions 0 to 4.");
        }

        var flexible = version >= 4;
        using var output = new PooledBufferWriter(256);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(version);
        writer.WriteString(ProtocolType, flexible);
        writer.WriteInt32(Generation);
        writer.WriteString(Protocol, flexible);
        writer.WriteString(Leader, flexible);
        if (version >= 2)
        {
            writer.WriteInt64(CurrentStateTimestamp);
        }

        writer.WriteArrayLength(Members.Count, flexible);
        foreach (var member in Members)
        {
            member.Write(ref writer, version);
        }

        if (flexible)
        {
            writer.WriteUnsignedVarint(0);
        }

        return output.WrittenSpan.ToArray();
    }

    public static GroupMetadataValue Deserialize(ReadOnlyMemory<byte> value)
    {
        var reader = new KafkaReader(value);
        var version = reader.ReadInt16();
        if (version is < 0 or > 4)
        {
            throw new MalformedRequestException($"Unknown GroupMetadataValue version {version}.");
        }

        var flexible = version >= 4;
        var protocolType = reader.ReadString(flexible, nullable: false)!;
        var generation = reader.ReadInt32();
        var protocol = reader.ReadString(flexible, nullable: true);
        var leader = reader.ReadString(flexible, nullable: true);
        var currentStateTimestamp = version >= 2 ? reader.ReadInt64() : -1;
        var count = reader.ReadArrayLength(flexible, nullable: false);
        var members = new List<GroupMetadataMember>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            members.Add(GroupMetadataMember.Read(ref reader, version));
        }

        if (flexible)
        {
            TaggedFields.Skip(ref reader);
        }

        return new GroupMetadataValue(protocolType, generation, protocol, leader, currentStateTimestamp, members);
    }
}

/// <summary>
/// One member in a <see cref="GroupMetadataValue"/> (Kafka's MemberMetadata): its ids, client, timeouts (rebalance
/// timeout from version 1, group instance id from 3), the subscription it joined with for the chosen protocol and its
/// assignment.
/// </summary>
public sealed record GroupMetadataMember(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int RebalanceTimeout,
    int SessionTimeout,
    byte[] Subscription,
    byte[] Assignment)
{
    internal void Write(ref KafkaWriter writer, short version)
    {
        var flexible = version >= 4;
        writer.WriteString(MemberId, flexible);
        if (version >= 3)
        {
            writer.WriteString(GroupInstanceId, flexible);
        }

        writer.WriteString(ClientId, flexible);
        writer.WriteString(ClientHost, flexible);
        if (version >= 1)
        {
            writer.WriteInt32(RebalanceTimeout);
        }

        writer.WriteInt32(SessionTimeout);
        writer.WriteBytes(Subscription, flexible);
        writer.WriteBytes(Assignment, flexible);
        if (flexible)
        {
            writer.WriteUnsignedVarint(0);
        }
    }

    internal static GroupMetadataMember Read(ref KafkaReader reader, short version)
    {
        var flexible = version >= 4;
        var memberId = reader.ReadString(flexible, nullable: false)!;
        var groupInstanceId = version >= 3 ? reader.ReadString(flexible, nullable: true) : null;
        var clientId = reader.ReadString(flexible, nullable: false)!;
        var clientHost = reader.ReadString(flexible, nullable: false)!;
        var rebalanceTimeout = version >= 1 ? reader.ReadInt32() : -1;
        var sessionTimeout = reader.ReadInt32();
        var subscription = reader.ReadBytes(flexible, nullable: false)!.Value.ToArray();
        var assignment = reader.ReadBytes(flexible, nullable: false)!.Value.ToArray();
        if (flexible)
        {
            TaggedFields.Skip(ref reader);
        }

        return new GroupMetadataMember(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout, subscription, assignment);
    }
}
