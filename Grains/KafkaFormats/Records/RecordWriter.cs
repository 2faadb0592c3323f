using System.Buffers;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// Writes one record of a magic-2 batch's records section: <c>length varint | attributes | timestamp delta varlong |
/// offset delta varint | key | value | header count varint | headers</c>, a key or value of length -1 when absent. The
/// inverse of <see cref="RecordReader"/>.
/// </summary>
public static class RecordWriter
{
    /// <summary>Writes a record whose headers are already encoded (<paramref name="headerCount"/> of them).</summary>
    public static void Write(
        IBufferWriter<byte> output,
        byte attributes,
        long timestampDelta,
        int offsetDelta,
        ReadOnlySpan<byte> key,
        bool hasKey,
        ReadOnlySpan<byte> value,
        bool hasValue,
        int headerCount,
        ReadOnlySpan<byte> encodedHeaders)
    {
        var bodySize = 1 + Varint.SizeOfLong(timestampDelta) + Varint.SizeOfInt(offsetDelta)
            + SizeOfBytes(key, hasKey) + SizeOfBytes(value, hasValue)
            + Varint.SizeOfInt(headerCount) + encodedHeaders.Length;
        var span = output.GetSpan(bodySize + 5);
        var n = Varint.WriteInt(span, bodySize);
        span[n++] = attributes;
        n += Varint.WriteLong(span[n..], timestampDelta);
        n += Varint.WriteInt(span[n..], offsetDelta);
        n += WriteBytes(span[n..], key, hasKey);
        n += WriteBytes(span[n..], value, hasValue);
        n += Varint.WriteInt(span[n..], headerCount);
        encodedHeaders.CopyTo(span[n..]);
        output.Advance(n + encodedHeaders.Length);
    }

    /// <summary>Bytes a key, value or header field takes: its varint length (-1 when absent) and its bytes.</summary>
    public static int SizeOfBytes(ReadOnlySpan<byte> bytes, bool present) =>
        present ? Varint.SizeOfInt(bytes.Length) + bytes.Length : Varint.SizeOfInt(-1);

    /// <summary>Writes a key, value or header field as <see cref="SizeOfBytes"/> counts it; returns the bytes written.</summary>
    public static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> bytes, bool present)
    {
        if (!present)
        {
            return Varint.WriteInt(destination, -1);
        }

        var n = Varint.WriteInt(destination, bytes.Length);
        bytes.CopyTo(destination[n..]);
        return n + bytes.Length;
    }
}
