using System.Buffers;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records.Compression;

namespace Tributary.Grains.KafkaFormats.Records.Legacy;

/// <summary>
/// The codecs of a legacy wrapper message's value, as Kafka's legacy message sets use them: gzip; snappy (read raw or
/// in xerial framing, written in xerial framing as Kafka writes it); lz4 in Kafka's own frame, with the broken header
/// checksum of magic 0 (<see cref="KafkaLz4Frame"/>). zstd never existed for magic 0 and 1. Malformed input, and
/// inflation past the output's cap, surface as <see cref="InvalidDataException"/>.
/// </summary>
public static class LegacyCompression
{
    public static void Decompress(CompressionType codec, byte magic, ReadOnlySpan<byte> compressed, PooledBufferWriter output)
    {
        try
        {
            switch (codec)
            {
                case CompressionType.Gzip:
                case CompressionType.Snappy:
                    RecordCompression.Decompress(codec, compressed, output);
                    break;
                case CompressionType.Lz4:
                    KafkaLz4Frame.Decode(compressed, output, brokenHeaderChecksum: magic == LegacyRecord.MagicV0);
                    break;
                default:
                    throw new InvalidDataException($"Compression codec {(int)codec} is not one of message format {magic}.");
            }
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"Cannot decompress {codec} data: {e.Message}", e);
        }
    }

    public static void Compress(CompressionType codec, byte magic, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        switch (codec)
        {
            case CompressionType.Gzip:
                RecordCompression.Compress(codec, data, output);
                break;
            case CompressionType.Snappy:
                SnappyCodec.CompressXerial(data, output);
                break;
            case CompressionType.Lz4:
                KafkaLz4Frame.Encode(data, output, brokenHeaderChecksum: magic == LegacyRecord.MagicV0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, $"Message format {magic} has no such codec.");
        }
    }
}
