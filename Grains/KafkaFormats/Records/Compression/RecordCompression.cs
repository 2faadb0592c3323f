using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.KafkaFormats.Records.Compression;

/// <summary>
/// The codecs of a batch's records section, all from well-kept libraries: gzip (System.IO.Compression), snappy
/// (Snappier; raw blocks as librdkafka writes them, and the xerial framing the Java client writes), lz4 (the LZ4
/// frame format, K4os) and zstd (ZstdSharp). Malformed input surfaces as <see cref="InvalidDataException"/>.
/// </summary>
public static class RecordCompression
{
    public static void Decompress(CompressionType codec, ReadOnlySpan<byte> compressed, PooledBufferWriter output)
    {
        try
        {
            switch (codec)
            {
                case CompressionType.None:
                    output.Write(compressed);
                    break;
                case CompressionType.Gzip:
                    DecompressGzip(compressed, output);
                    break;
                case CompressionType.Snappy:
                    SnappyCodec.Decompress(compressed, output);
                    break;
                case CompressionType.Lz4:
                    LZ4Frame.Decode(compressed, output);
                    break;
                case CompressionType.Zstd:
                    DecompressZstd(compressed, output);
                    break;
                default:
                    throw new InvalidDataException($"Unknown compression codec {(int)codec}.");
            }
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"Cannot decompress {codec} data: {e.Message}", e);
        }
    }

    public static void Compress(CompressionType codec, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        switch (codec)
        {
            case CompressionType.None:
                data.CopyTo(output.GetSpan(data.Length));
                output.Advance(data.Length);
                break;
            case CompressionType.Gzip:
                CompressGzip(data, output);
                break;
            case CompressionType.Snappy:
                SnappyCodec.CompressRaw(data, output);
                break;
            case CompressionType.Lz4:
                LZ4Frame.Encode(data, output, LZ4Level.L00_FAST);
                break;
            case CompressionType.Zstd:
                using (var compressor = new ZstdSharp.Compressor())
                {
                    var span = output.GetSpan(ZstdSharp.Compressor.GetCompressBound(data.Length));
                    output.Advance(compressor.Wrap(data, span));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, "Unknown compression codec.");
        }
    }

    private static void DecompressGzip(ReadOnlySpan<byte> compressed, PooledBufferWriter output)
    {
        var copy = ArrayPool<byte>.Shared.Rent(compressed.Length);
        try
        {
            compressed.CopyTo(copy);
            using var source = new MemoryStream(copy, 0, compressed.Length, writable: false);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            var start = output.WrittenCount;
            while (true)
            {
                var read = gzip.Read(output.GetSpan(16 * 1024));
                if (read == 0)
                {
                    break;
                }

                output.Advance(read);
            }

            // .NET's inflater ends quietly where a cut stream ends, and what came before would pass for the whole. The
            // gzip trailer (CRC-32 and size of what it holds) is checked, as Java's GZIPInputStream does; Kafka's clients
            // write one gzip member, so the trailer is the whole output's.
            var inflated = output.WrittenSpan[start..];
            if (compressed.Length < 18
                || BinaryPrimitives.ReadUInt32LittleEndian(compressed[^4..]) != (uint)inflated.Length
                || BinaryPrimitives.ReadUInt32LittleEndian(compressed[^8..^4]) != System.IO.Hashing.Crc32.HashToUInt32(inflated))
            {
                throw new InvalidDataException("The gzip data is cut short, or does not match its trailer.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static void CompressGzip(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        using var target = new MemoryStream();
        using (var gzip = new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        var bytes = target.GetBuffer().AsSpan(0, (int)target.Length);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static void DecompressZstd(ReadOnlySpan<byte> compressed, PooledBufferWriter output)
    {
        using var decompressor = new ZstdSharp.Decompressor();
        var remaining = compressed;
        while (true)
        {
            var status = decompressor.UnwrapStream(remaining, output.GetSpan(64 * 1024), out var consumed, out var written);
            output.Advance(written);
            remaining = remaining[consumed..];
            if (status == OperationStatus.Done && remaining.IsEmpty)
            {
                return;
            }

            if (status == OperationStatus.Done)
            {
                // Another frame follows: zstd allows concatenated frames.
                decompressor.ResetStream();
                continue;
            }

            if (status == OperationStatus.NeedMoreData && remaining.IsEmpty)
            {
                throw new InvalidDataException("Truncated zstd frame.");
            }

            if (status == OperationStatus.InvalidData)
            {
                throw new InvalidDataException("Invalid zstd data.");
            }
        }
    }
}
