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

    private static void DecompressBlock(ReadOnlySpan<byte> block, PooledBufferWriter output)
    {
        var length = Snappy.GetUncompressedLength(block);
        var span = output.GetSpan(length);
        output.Advance(Snappy.Decompress(block, span[..length]));
    }
}
