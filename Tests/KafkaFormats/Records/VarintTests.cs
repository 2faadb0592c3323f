using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.KafkaFormats.Records;

public sealed class VarintTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(63, new byte[] { 0x7E })]
    [InlineData(-64, new byte[] { 0x7F })]
    [InlineData(64, new byte[] { 0x80, 0x01 })]
    [InlineData(int.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void Ints_EncodeAsKafkaZigZag_AndRoundTrip(int value, byte[] expected)
    {
        var buffer = new byte[5];
        var written = Varint.WriteInt(buffer, value);

        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(written, Varint.SizeOfInt(value));
        Assert.True(Varint.TryReadInt(buffer, out var read, out var consumed));
        Assert.Equal((value, written), (read, consumed));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1_700_000_000_000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Longs_RoundTrip(long value)
    {
        var buffer = new byte[10];
        var written = Varint.WriteLong(buffer, value);

        Assert.Equal(written, Varint.SizeOfLong(value));
        Assert.True(Varint.TryReadLong(buffer, out var read, out var consumed));
        Assert.Equal((value, written), (read, consumed));
    }

    [Fact]
    public void ATruncatedOrOverlongVarint_IsNotRead()
    {
        Assert.False(Varint.TryReadInt([0x80, 0x80], out _, out _));
        Assert.False(Varint.TryReadInt([], out _, out _));
        Assert.False(Varint.TryReadInt([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], out _, out _));
        Assert.False(Varint.TryReadLong(Enumerable.Repeat((byte)0x80, 10).Append((byte)1).ToArray(), out _, out _));
    }
}
