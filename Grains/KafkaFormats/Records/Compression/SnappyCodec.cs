using System.Buffers;
using System.Buffers.Binary;
using Snappier;
using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.KafkaFormats.Records.Compression;

/// <summary>
/// Snappy as Kafka clients write it. librdkafka writes one raw snappy block; the Java client writes the xerial
/// snappy-java stream: a 16-byte header (magic <c>82 'SNAPPY' 00</c>, int32 version, int32 compatible version) and
/// then chunks of int32 big-endian length + raw block. Reading accepts both.
/// </summary>
internal static class SnappyCodec
{
    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    private const int XerialHeaderSize = 16;

    public static void Decompress(ReadOnlySpan<byte> compressed, PooledBufferWriter output)
    {
        if (compressed.Length >= XerialHeaderSize && compressed[..XerialMagic.Length].SequenceEqual(XerialMagic))
        {
            var remaining = compressed[XerialHeaderSize..];
            while (!remaining.IsEmpty)
            {
                if (remaining.Length < 4)
                {
                    throw new InvalidDataException("Truncated xerial snappy chunk header.");
                }

                var length = BinaryPrimitives.ReadInt32BigEndian(remaining);
                if (length < 0 || length > remaining.Length - 4)
                {
                    throw new InvalidDataException("Truncated xerial snappy chunk.");
                }

                DecompressBlock(remaining.Slice(4, length), output);
                remaining = remaining[(4 + length)..];
            }

            return;
        }

        DecompressBlock(compressed, output);
    }

    public static void CompressRaw(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Snappy.GetMaxCompressedLength(data.Length));
        output.Advance(Snappy.Compress(data, span));
    }

    /// <summary>
    /// The xerial stream as the Java client's SnappyOutputStream writes it (chunks of 32 KiB), which every Java client
    /// reads, the oldest included: what the broker writes when it builds legacy messages for old fetchers.
    /// </summary>
    public static void CompressXerial(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        const int chunkSize = 32 * 1024;
        var header = output.GetSpan(XerialHeaderSize);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 1);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], 1);
        output.Advance(XerialHeaderSize);
        for (var start = 0; start < data.Length; start += chunkSize)
        {
            var chunk = data.Slice(start, Math.Min(chunkSize, data.Length - start));
            var span = output.GetSpan(4 + Snappy.GetMaxCompressedLength(chunk.Length));
            var length = Snappy.Compress(chunk, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, length);
            output.Advance(4 + length);
        }
    }

    private static void DecompressBlock(ReadOnlySpan<byte> block, PooledBufferWriter output)
    {
        var length = Snappy.GetUncompressedLength(block);
        var span = output.GetSpan(length);
        output.Advance(Snappy.Decompress(block, span[..length]));
    }
}
