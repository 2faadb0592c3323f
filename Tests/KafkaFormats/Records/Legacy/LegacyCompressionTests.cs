using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Legacy;

namespace Tributary.Tests.KafkaFormats.Records.Legacy;

public sealed class LegacyCompressionTests
{
    private static readonly byte[] Data = Enumerable.Range(0, 150_000).Select(i => (byte)(i % 89 < 40 ? 'x' : i % 253)).ToArray();

    [Theory]
    [InlineData(CompressionType.Gzip, 0)]
    [InlineData(CompressionType.Gzip, 1)]
    [InlineData(CompressionType.Snappy, 0)]
    [InlineData(CompressionType.Snappy, 1)]
    [InlineData(CompressionType.Lz4, 0)]
    [InlineData(CompressionType.Lz4, 1)]
    public void EachCodecOfTheOldFormats_RoundTrips(CompressionType codec, byte magic)
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(codec, magic, Data, compressed);
        using var output = new PooledBufferWriter();

        LegacyCompression.Decompress(codec, magic, compressed.WrittenSpan, output);

        Assert.True(compressed.WrittenCount < Data.Length);
        Assert.Equal(Data, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Gzip_IsAStandardGzipStream()
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Gzip, 1, Data, compressed);

        using var gzip = new GZipStream(new MemoryStream(compressed.WrittenSpan.ToArray()), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        gzip.CopyTo(inflated);

        Assert.Equal(Data, inflated.ToArray());
    }

    [Fact]
    public void Snappy_IsWritten_InTheXerialFramingJavaClientsRead()
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Snappy, 0, Data, compressed);
        var framed = compressed.WrittenSpan.ToArray();

        Assert.Equal([0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1], framed[..16]);
        var inflated = new List<byte>();
        for (var position = 16; position < framed.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(position));
            var chunk = Snappier.Snappy.DecompressToArray(framed.AsSpan(position + 4, length));
            Assert.True(chunk.Length <= 32 * 1024);
            inflated.AddRange(chunk);
            position += 4 + length;
        }

        Assert.Equal(Data, inflated.ToArray());
    }

    [Fact]
    public void Snappy_AsOneRawBlock_AsLibrdkafkaWrites_IsRead()
    {
        using var output = new PooledBufferWriter();

        LegacyCompression.Decompress(CompressionType.Snappy, 1, Snappier.Snappy.CompressToArray(Data), output);

        Assert.Equal(Data, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Lz4_IsKafkasFrame_WithTheHeaderChecksumOfItsMagic(byte magic)
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Lz4, magic, Data, compressed);
        var frame = compressed.WrittenSpan;

        // Magic, FLG (version 1, independent blocks), BD (64 KiB blocks); HC is the second byte of the xxhash32 of the
        // descriptor, which for magic 0 wrongly starts at the frame's magic, as Kafka's first LZ4 stream computed it.
        Assert.Equal([0x04, 0x22, 0x4D, 0x18, 0x60, 0x40], frame[..6].ToArray());
        var hashed = magic == 0 ? frame[..6] : frame[4..6];
        Assert.Equal((byte)(XxHash32.HashToUInt32(hashed) >> 8), frame[6]);
        Assert.NotEqual((byte)(XxHash32.HashToUInt32(magic == 0 ? frame[4..6] : frame[..6]) >> 8), frame[6]);
    }

    [Fact]
    public void Lz4_OfMagic1_IsAStandardFrame_ThatAnLz4LibraryReads()
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Lz4, 1, Data, compressed);

        using var decoder = LZ4Stream.Decode(new MemoryStream(compressed.WrittenSpan.ToArray()));
        using var inflated = new MemoryStream();
        decoder.CopyTo(inflated);

        Assert.Equal(Data, inflated.ToArray());
    }

    [Fact]
    public void Lz4_FromAnLz4Library_WithBlockAndContentChecksums_IsRead()
    {
        var frame = new MemoryStream();
        using (var encoder = LZ4Stream.Encode(frame, new LZ4EncoderSettings
        {
            ContentChecksum = true,
            BlockChecksum = true,
            ChainBlocks = false,
            CompressionLevel = LZ4Level.L00_FAST,
        }, leaveOpen: true))
        {
            encoder.Write(Data);
        }

        using var output = new PooledBufferWriter();

        LegacyCompression.Decompress(CompressionType.Lz4, 1, frame.ToArray(), output);

        Assert.Equal(Data, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Lz4_WithTheContentSizeInItsDescriptor_IsRead()
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Lz4, 1, Data, compressed);
        var plain = compressed.WrittenSpan.ToArray();
        var descriptor = new byte[10];
        descriptor[0] = 0x68;
        descriptor[1] = 0x40;
        BinaryPrimitives.WriteInt64LittleEndian(descriptor.AsSpan(2), Data.Length);
        byte[] frame = [.. plain[..4], .. descriptor, (byte)(XxHash32.HashToUInt32(descriptor) >> 8), .. plain[7..]];
        using var output = new PooledBufferWriter();

        LegacyCompression.Decompress(CompressionType.Lz4, 1, frame, output);

        Assert.Equal(Data, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Lz4_WithMagic0sBrokenChecksum_IsRefusedForMagic1()
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Lz4, 0, Data, compressed);
        using var output = new PooledBufferWriter();

        Assert.Throws<InvalidDataException>(() => LegacyCompression.Decompress(CompressionType.Lz4, 1, compressed.WrittenSpan, output));
    }

    [Fact]
    public void Lz4_AStandardFrame_IsReadForMagic0Too_ForItsChecksumIsIgnored()
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Lz4, 1, Data, compressed);
        using var output = new PooledBufferWriter();

        LegacyCompression.Decompress(CompressionType.Lz4, 0, compressed.WrittenSpan, output);

        Assert.Equal(Data, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void EveryTruncatedPrefix_OfAnLz4Frame_IsInvalidData(byte magic)
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Lz4, magic, Data, compressed);
        var whole = compressed.WrittenSpan.ToArray();

        for (var length = 0; length < whole.Length; length += length < 200 ? 1 : 97)
        {
            using var output = new PooledBufferWriter();
            Assert.Throws<InvalidDataException>(() => LegacyCompression.Decompress(CompressionType.Lz4, magic, whole.AsSpan(0, length), output));
        }
    }

    [Fact]
    public void Zstd_IsNoCodecOfTheOldFormats()
    {
        using var output = new PooledBufferWriter();

        Assert.Throws<InvalidDataException>(() => LegacyCompression.Decompress(CompressionType.Zstd, 1, [1, 2, 3], output));
        Assert.Throws<ArgumentOutOfRangeException>(() => LegacyCompression.Compress(CompressionType.Zstd, 1, Data, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Inflation_PastTheCap_IsInvalidData()
    {
        var compressed = new ArrayBufferWriter<byte>();
        LegacyCompression.Compress(CompressionType.Lz4, 1, new byte[2_000_000], compressed);
        using var output = new PooledBufferWriter(4096, maxLength: 1_000_000);

        Assert.Throws<InvalidDataException>(() => LegacyCompression.Decompress(CompressionType.Lz4, 1, compressed.WrittenSpan, output));
    }
}
