using System.Buffers;
using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Compression;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.KafkaFormats.Records;

public sealed class RecordCompressionTests
{
    private static readonly byte[] Data = Enumerable.Range(0, 20_000).Select(i => (byte)(i % 97 < 50 ? 'a' : i % 251)).ToArray();

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void EachCodec_RoundTrips_AndCompresses(CompressionType codec)
    {
        var compressed = new ArrayBufferWriter<byte>();
        RecordCompression.Compress(codec, Data, compressed);
        using var output = new PooledBufferWriter();

        RecordCompression.Decompress(codec, compressed.WrittenSpan, output);

        Assert.True(compressed.WrittenCount < Data.Length);
        Assert.Equal(Data, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Snappy_InTheJavaClientsXerialFraming_IsRead()
    {
        var framed = new List<byte> { 0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1 };
        foreach (var chunk in Data.Chunk(8192))
        {
            var block = Snappier.Snappy.CompressToArray(chunk);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, block.Length);
            framed.AddRange(length);
            framed.AddRange(block);
        }

        using var output = new PooledBufferWriter();
        RecordCompression.Decompress(CompressionType.Snappy, framed.ToArray(), output);

        Assert.Equal(Data, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Garbage_IsInvalidData(CompressionType codec)
    {
        using var output = new PooledBufferWriter();

        Assert.Throws<InvalidDataException>(() => RecordCompression.Decompress(codec, [1, 2, 3, 4, 5, 6, 7, 8, 9], output));
    }

    [Fact]
    public void Inflation_PastTheLimit_IsRefused()
    {
        var compressed = new ArrayBufferWriter<byte>();
        RecordCompression.Compress(CompressionType.Zstd, new byte[10_000_000], compressed);
        using var output = new PooledBufferWriter(4096, maxLength: 1_000_000);

        Assert.Throws<InvalidDataException>(() => RecordCompression.Decompress(CompressionType.Zstd, compressed.WrittenSpan, output));
    }

    [Fact]
    public void ACompressedBatch_FromTheBuilder_HasAValidCrcAndItsRecords()
    {
        var batch = Batches.Make(40, compression: CompressionType.Lz4);

        Assert.True(RecordBatch.IsCrcValid(batch));
        Assert.Equal(CompressionType.Lz4, RecordBatch.Compression(batch));
        Assert.Equal((40, 39), (RecordBatch.RecordsCount(batch), RecordBatch.LastOffsetDelta(batch)));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"v{i}"), Batches.Decode(batch).Select(r => r.Value));
    }
}
