using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Grains.KafkaFormats.OffsetsTopic;

/// <summary>
/// A key of <c>__consumer_offsets</c>: an int16 version, then the fields of Kafka's OffsetCommitKey (versions 0 and
/// 1, one layout) or GroupMetadataKey (version 2). The version names the record type, as in Kafka.
/// </summary>
public abstract record OffsetsTopicKey(string Group)
{
    /// <summary>The key's bytes as Kafka writes them.</summary>
    public abstract byte[] Serialize();

    /// <summary>Reads a key; a version this format does not define is <see cref="MalformedRequestException"/>.</summary>
    public static OffsetsTopicKey Deserialize(ReadOnlyMemory<byte> key)
    {
        var reader = new KafkaReader(key);
        var version = reader.ReadInt16();
        return version switch
        {
            0 or 1 => new OffsetCommitKey(ReadString(ref reader), ReadString(ref reader), reader.ReadInt32()),
            2 => new GroupMetadataKey(ReadString(ref reader)),
            _ => throw new MalformedRequestException($"Unknown __consumer_offsets key version {version}."),
        };
    }

    private static string ReadString(ref KafkaReader reader) =>
        reader.ReadString(compact: false, nullable: false)!;

    private protected static byte[] Write(short version, Action<PooledBufferWriter> fields)
    {
        using var output = new PooledBufferWriter(64);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(version);
        fields(output);
        return output.WrittenSpan.ToArray();
    }
}

/// <summary>Kafka's OffsetCommitKey: a group's committed offset for one partition. Written at version 1.</summary>
public sealed record OffsetCommitKey(string Group, string Topic, int Partition) : OffsetsTopicKey(Group)
{
    public const short Version = 1;

    public override byte[] Serialize() => Write(Version, output =>
    {
        var writer = new KafkaWriter(output);
        writer.WriteString(Group, compact: false);
        writer.WriteString(Topic, compact: false);
        writer.WriteInt32(Partition);
    });
}

/// <summary>Kafka's GroupMetadataKey: a group's generation, protocol and members. Version 2.</summary>
public sealed record GroupMetadataKey(string Group) : OffsetsTopicKey(Group)
{
    public const short Version = 2;

    public override byte[] Serialize() => Write(Version, output => new KafkaWriter(output).WriteString(Group, compact: false));
}
