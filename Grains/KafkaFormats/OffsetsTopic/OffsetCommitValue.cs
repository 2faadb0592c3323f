using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Grains.KafkaFormats.OffsetsTopic;

/// <summary>
/// Kafka's OffsetCommitValue (group-coordinator's OffsetCommitValue.json, versions 0-4, flexible from 4): the
/// committed offset, its leader epoch (3+), metadata, commit time and, in version 1 only, an expire time. Kafka 3.9
/// writes version 3, and version 1 when the commit carries an expire time (OffsetCommit v1-v4's retention).
/// </summary>
public sealed record OffsetCommitValue(long Offset, int LeaderEpoch, string Metadata, long CommitTimestamp, long ExpireTimestamp = -1)
{
    /// <summary>The version Kafka 3.9 writes for a commit without an expire time.</summary>
    public const short CurrentVersion = 3;

    public byte[] Serialize(short version = CurrentVersion)
    {
        if (version is < 0 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "OffsetCommitValue has versions 0 to 4.");
        }

        var flexible = version >= 4;
        using var output = new PooledBufferWriter(64);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(version);
        writer.WriteInt64(Offset);
        if (version >= 3)
        {
            writer.WriteInt32(LeaderEpoch);
        }

        writer.WriteString(Metadata, flexible);
        writer.WriteInt64(CommitTimestamp);
        if (version == 1)
        {
            writer.WriteInt64(ExpireTimestamp);
        }

        if (flexible)
        {
            writer.WriteUnsignedVarint(0);
        }

        return output.WrittenSpan.ToArray();
    }

    public static OffsetCommitValue Deserialize(ReadOnlyMemory<byte> value)
    {
        var reader = new KafkaReader(value);
        var version = reader.ReadInt16();
        if (version is < 0 or > 4)
        {
            throw new MalformedRequestException($"Unknown OffsetCommitValue version {version}.");
        }

        var flexible = version >= 4;
        var offset = reader.ReadInt64();
        var leaderEpoch = version >= 3 ? reader.ReadInt32() : -1;
        var metadata = reader.ReadString(flexible, nullable: false)!;
        var commitTimestamp = reader.ReadInt64();
        var expireTimestamp = version == 1 ? reader.ReadInt64() : -1;
        if (flexible)
        {
            TaggedFields.Skip(ref reader);
        }

        return new OffsetCommitValue(offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp);
    }
}
