using System.Text;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Legacy;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.KafkaFormats.Records.Legacy;

public sealed class LegacyMessageSetReaderTests
{
    // Written from the format's definition, CRC by zlib: magic 0 at offset 5, key "k", value "hello"; magic 1 at
    // offset 7, timestamp 1700000000000, null key, value "v".
    private static readonly byte[] Magic0 = Convert.FromHexString("000000000000000500000014a4cdab3a0000000000016b0000000568656c6c6f");
    private static readonly byte[] Magic1 = Convert.FromHexString("000000000000000700000017c1672ac501000000018bcfe56800ffffffff0000000176");

    [Fact]
    public void AMagic0Message_IsReadField_ByField()
    {
        var reader = new LegacyMessageSetReader(Magic0);

        Assert.Equal(LegacyReadStatus.Message, reader.Next(out var message));
        Assert.Equal((5L, (byte)0, CompressionType.None, -1L), (message.Offset, message.Magic, message.Compression, message.Timestamp));
        Assert.True(message.IsCrcValid);
        Assert.Equal(("k", "hello"), (Encoding.UTF8.GetString(message.Key), Encoding.UTF8.GetString(message.Value)));
        Assert.Equal(LegacyReadStatus.End, reader.Next(out _));
    }

    [Fact]
    public void AMagic1Message_CarriesItsTimestamp_AndANullKey()
    {
        var reader = new LegacyMessageSetReader(Magic1);

        Assert.Equal(LegacyReadStatus.Message, reader.Next(out var message));
        Assert.Equal((7L, (byte)1, 1_700_000_000_000L, TimestampType.CreateTime), (message.Offset, message.Magic, message.Timestamp, message.TimestampType));
        Assert.False(message.HasKey);
        Assert.Equal("v", Encoding.UTF8.GetString(message.Value));
        Assert.True(message.IsCrcValid);
    }

    [Fact]
    public void TheBuilder_WritesTheSameBytes_AsTheFormatsDefinition()
    {
        using var magic0 = new LegacyMessageSetBuilder(0);
        magic0.Append(5, -1, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("hello"));
        using var magic1 = new LegacyMessageSetBuilder(1);
        magic1.Append(7, 1_700_000_000_000, null, Encoding.UTF8.GetBytes("v"));

        Assert.Equal(Magic0, magic0.Build());
        Assert.Equal(Magic1, magic1.Build());
    }

    [Fact]
    public void EveryTruncatedPrefix_OfASet_IsMalformed()
    {
        byte[] set = [.. Magic0, .. Magic1, .. LegacyMessages.Message(9, 1, 1_700_000_000_001, "key", null)];
        var boundaries = new HashSet<int> { 0, Magic0.Length, Magic0.Length + Magic1.Length, set.Length };

        for (var length = 1; length < set.Length; length++)
        {
            var reader = new LegacyMessageSetReader(set.AsSpan(0, length));
            LegacyReadStatus status;
            while ((status = reader.Next(out _)) == LegacyReadStatus.Message)
            {
            }

            Assert.Equal(boundaries.Contains(length) ? LegacyReadStatus.End : LegacyReadStatus.Malformed, status);
        }
    }

    [Fact]
    public void AFlippedByte_LeavesTheFramingWhole_ButTheCrcInvalid()
    {
        var corrupt = Magic0.ToArray();
        corrupt[^1] ^= 0x20;

        var reader = new LegacyMessageSetReader(corrupt);

        Assert.Equal(LegacyReadStatus.Message, reader.Next(out var message));
        Assert.False(message.IsCrcValid);
    }

    [Theory]
    [InlineData(8, 0x00, 0x00, 0x00, 0x0d)] // size 13: below the smallest message
    [InlineData(16, 0x02)] // magic 2 is a record batch, not a message
    [InlineData(18, 0x00, 0x00, 0x00, 0x02)] // key length 2 leaves the value length short
    [InlineData(23, 0x00, 0x00, 0x00, 0x04)] // value length 4 of the 5 bytes left
    public void AMessageThatDoesNotParse_IsMalformed(int position, params int[] bytes)
    {
        var message = Magic0.ToArray();
        for (var i = 0; i < bytes.Length; i++)
        {
            message[position + i] = (byte)bytes[i];
        }

        var reader = new LegacyMessageSetReader(message);

        Assert.Equal(LegacyReadStatus.Malformed, reader.Next(out _));
        Assert.NotNull(reader.Error);
    }
}
