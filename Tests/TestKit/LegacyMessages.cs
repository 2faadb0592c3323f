using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Legacy;
using Xunit;

namespace Tributary.Tests.TestKit;

/// <summary>
/// Legacy message sets (magic 0 and 1) for tests: single messages written byte by byte from the format's definition
/// (independent of the builder under test, so that malformed ones can be made too), and a decoder that reads a set as
/// an old consumer does, wrappers included.
/// </summary>
public static class LegacyMessages
{
    /// <summary>One entry: offset, size, CRC-32 over magic to end, magic, attributes, timestamp (magic 1), key, value.</summary>
    public static byte[] Message(long offset, byte magic, byte attributes, long timestamp, byte[]? key, byte[]? value)
    {
        var body = new List<byte> { magic, attributes };
        if (magic == 1)
        {
            body.AddRange(BigEndian(timestamp));
        }

        AddBytes(body, key);
        AddBytes(body, value);
        var entry = new List<byte>();
        entry.AddRange(BigEndian(offset));
        entry.AddRange(BigEndian(body.Count + 4));
        entry.AddRange(BigEndian((int)Crc32.HashToUInt32(body.ToArray())));
        entry.AddRange(body);
        return entry.ToArray();
    }

    public static byte[] Message(long offset, byte magic, long timestamp, string? key, string? value) =>
        Message(offset, magic, 0, timestamp, key is null ? null : Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));

    /// <summary>A wrapper message whose value is <paramref name="inner"/> compressed with the codec, null key.</summary>
    public static byte[] Wrapper(long offset, byte magic, CompressionType codec, long timestamp, byte[] inner)
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(codec, magic, inner, compressed);
        return Message(offset, magic, (byte)codec, timestamp, null, compressed.WrittenSpan.ToArray());
    }

    /// <summary>
    /// The records of a message set as an old consumer reads them: wrappers opened, inner offsets made absolute
    /// (magic 1: relative to the wrapper's, which is the last's), timestamps from the wrapper when it is LogAppendTime.
    /// Every CRC must be valid. Headers are always empty: the formats have none.
    /// </summary>
    public static List<DecodedRecord> Decode(ReadOnlySpan<byte> messageSet)
    {
        var records = new List<DecodedRecord>();
        var reader = new LegacyMessageSetReader(messageSet);
        LegacyReadStatus status;
        while ((status = reader.Next(out var message)) == LegacyReadStatus.Message)
        {
            Assert.True(message.IsCrcValid, "every message carries a valid CRC");
            if (!message.IsCompressed)
            {
                records.Add(Decoded(message.Offset, message.Timestamp, message));
                continue;
            }

            using var inner = new PooledBufferWriter();
            LegacyCompression.Decompress(message.Compression, message.Magic, message.Value, inner);
            var entries = new List<(long Offset, long Timestamp, string? Key, string? Value)>();
            var innerReader = new LegacyMessageSetReader(inner.WrittenSpan);
            while (innerReader.Next(out var innerMessage) == LegacyReadStatus.Message)
            {
                Assert.True(innerMessage.IsCrcValid, "every inner message carries a valid CRC");
                Assert.Equal(message.Magic, innerMessage.Magic);
                var timestamp = message.TimestampType == TimestampType.LogAppendTime ? message.Timestamp : innerMessage.Timestamp;
                var decoded = Decoded(innerMessage.Offset, timestamp, innerMessage);
                entries.Add((decoded.Offset, decoded.Timestamp, decoded.Key, decoded.Value));
            }

            Assert.Null(innerReader.Error);
            var shift = message.Magic == 1 ? message.Offset - entries[^1].Offset : 0;
            records.AddRange(entries.Select(e => new DecodedRecord(e.Offset + shift, e.Timestamp, e.Key, e.Value, "")));
        }

        Assert.Equal(LegacyReadStatus.End, status);
        return records;
    }

    private static DecodedRecord Decoded(long offset, long timestamp, LegacyMessage message) => new(
        offset,
        timestamp,
        message.HasKey ? Encoding.UTF8.GetString(message.Key) : null,
        message.HasValue ? Encoding.UTF8.GetString(message.Value) : null,
        "");

    private static void AddBytes(List<byte> body, byte[]? bytes)
    {
        body.AddRange(BigEndian(bytes?.Length ?? -1));
        body.AddRange(bytes ?? []);
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
