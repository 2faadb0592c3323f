using System.Text;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Legacy;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.KafkaFormats.Records.Legacy;

public sealed class LegacyMessageSetBuilderTests
{
    private const long Time = 1_700_000_000_000;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Uncompressed_IsOneMessagePerRecord_AtItsOffset(byte magic)
    {
        using var builder = new LegacyMessageSetBuilder(magic);
        builder.Append(10, Time, Bytes("a"), Bytes("1")).Append(11, Time + 5, null, Bytes("2")).Append(13, Time + 2, Bytes("c"), null);

        var records = LegacyMessages.Decode(builder.Build());

        var timestamp = (long t) => magic == 0 ? -1 : t;
        DecodedRecord[] expected =
            [new(10, timestamp(Time), "a", "1", ""), new(11, timestamp(Time + 5), null, "2", ""), new(13, timestamp(Time + 2), "c", null, "")];
        Assert.Equal(expected, records);
    }

    [Theory]
    [InlineData(0, CompressionType.Gzip)]
    [InlineData(0, CompressionType.Snappy)]
    [InlineData(0, CompressionType.Lz4)]
    [InlineData(1, CompressionType.Gzip)]
    [InlineData(1, CompressionType.Snappy)]
    [InlineData(1, CompressionType.Lz4)]
    public void Compressed_IsOneWrapper_AtTheLastOffset_WithItsFormatsInnerOffsets(byte magic, CompressionType codec)
    {
        using var builder = new LegacyMessageSetBuilder(magic, codec);
        for (var i = 0; i < 50; i++)
        {
            builder.Append(100 + i, Time + (i * 7 % 11), Bytes($"k{i}"), Bytes($"v{i}"));
        }

        var set = builder.Build();

        var reader = new LegacyMessageSetReader(set);
        Assert.Equal(LegacyReadStatus.Message, reader.Next(out var wrapper));
        Assert.Equal((149L, codec, false, true), (wrapper.Offset, wrapper.Compression, wrapper.HasKey, wrapper.HasValue));
        Assert.Equal(magic == 0 ? -1 : Time + 10, wrapper.Timestamp);
        Assert.Equal(LegacyReadStatus.End, reader.Next(out _));

        using var inner = new PooledBufferWriter();
        LegacyCompression.Decompress(codec, magic, wrapper.Value, inner);
        var innerReader = new LegacyMessageSetReader(inner.WrittenSpan);
        Assert.Equal(LegacyReadStatus.Message, innerReader.Next(out var first));
        Assert.Equal(magic == 0 ? 100 : 0, first.Offset);
        Assert.Equal(CompressionType.None, first.Compression);

        var records = LegacyMessages.Decode(set);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (100L + i, $"k{i}", $"v{i}")), records.Select(r => (r.Offset, r.Key!, r.Value!)));
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    public void LogAppendTime_IsEveryMessagesTimestamp_WithTheTimestampTypeBit(CompressionType codec)
    {
        using var builder = new LegacyMessageSetBuilder(1, codec, TimestampType.LogAppendTime, logAppendTime: Time + 999);
        builder.Append(0, Time, Bytes("a"), Bytes("1")).Append(1, Time + 1, Bytes("b"), Bytes("2"));
        var set = builder.Build();

        var reader = new LegacyMessageSetReader(set);
        Assert.Equal(LegacyReadStatus.Message, reader.Next(out var message));
        Assert.Equal((TimestampType.LogAppendTime, Time + 999), (message.TimestampType, message.Timestamp));
        Assert.All(LegacyMessages.Decode(set), r => Assert.Equal(Time + 999, r.Timestamp));
    }

    [Fact]
    public void Offsets_MustIncrease_AndTimestampsBeNoneOrNotNegative()
    {
        using var builder = new LegacyMessageSetBuilder(1);
        builder.Append(5, Time, null, null);

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Append(5, Time, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Append(6, -2, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LegacyMessageSetBuilder(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LegacyMessageSetBuilder(1, CompressionType.Zstd));
    }

    [Fact]
    public void NothingAppended_WritesNothing()
    {
        using var builder = new LegacyMessageSetBuilder(1, CompressionType.Gzip);

        Assert.Empty(builder.Build());
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
