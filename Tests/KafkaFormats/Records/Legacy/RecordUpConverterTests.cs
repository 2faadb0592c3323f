using System.Buffers.Binary;
using System.Text;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Legacy;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.KafkaFormats.Records.Legacy;

public sealed class RecordUpConverterTests
{
    private const long Time = 1_700_000_000_000;
    private const int Cap = 16 * 1024 * 1024;

    [Fact]
    public void Magic0Messages_BecomeOneBatch_WithoutTimestamps()
    {
        byte[] set = [.. LegacyMessages.Message(0, 0, -1, "a", "1"), .. LegacyMessages.Message(1, 0, -1, null, "2"), .. LegacyMessages.Message(2, 0, -1, "c", null)];

        var batch = Converted(set);

        Assert.Equal((CompressionType.None, 3, -1L, -1L), (RecordBatch.Compression(batch), RecordBatch.RecordsCount(batch), RecordBatch.ProducerId(batch), RecordBatch.MaxTimestamp(batch)));
        Assert.Equal(TimestampType.CreateTime, RecordBatch.TimestampType(batch));
        DecodedRecord[] expected = [new(0, -1, "a", "1", ""), new(1, -1, null, "2", ""), new(2, -1, "c", null, "")];
        Assert.Equal(expected, Batches.Decode(batch));
    }

    [Fact]
    public void Magic1Messages_KeepTheirTimestamps_AndTheirOffsetsAreTheLogs()
    {
        byte[] set = [.. LegacyMessages.Message(40, 1, Time + 3, "a", "1"), .. LegacyMessages.Message(41, 1, Time, "b", "2")];

        var batch = Converted(set);

        Assert.Equal((Time + 3, 0L), (RecordBatch.MaxTimestamp(batch), RecordBatch.BaseOffset(batch)));
        DecodedRecord[] expected = [new(0, Time + 3, "a", "1", ""), new(1, Time, "b", "2", "")];
        Assert.Equal(expected, Batches.Decode(batch));
    }

    [Theory]
    [InlineData(0, CompressionType.Gzip)]
    [InlineData(0, CompressionType.Snappy)]
    [InlineData(0, CompressionType.Lz4)]
    [InlineData(1, CompressionType.Gzip)]
    [InlineData(1, CompressionType.Snappy)]
    [InlineData(1, CompressionType.Lz4)]
    public void AWrapper_BecomesOneBatch_OfItsCodec_WithItsInnerRecords(byte magic, CompressionType codec)
    {
        using var builder = new LegacyMessageSetBuilder(magic, codec);
        for (var i = 0; i < 30; i++)
        {
            builder.Append(i, Time + i, Encoding.UTF8.GetBytes($"k{i}"), Encoding.UTF8.GetBytes($"v{i}"));
        }

        var batch = Converted(builder.Build());

        Assert.Equal((codec, 30, 29), (RecordBatch.Compression(batch), RecordBatch.RecordsCount(batch), RecordBatch.LastOffsetDelta(batch)));
        Assert.Equal(
            Enumerable.Range(0, 30).Select(i => new DecodedRecord(i, magic == 0 ? -1 : Time + i, $"k{i}", $"v{i}", "")),
            Batches.Decode(batch));
    }

    [Fact]
    public void AWrapper_OfRawSnappy_AsLibrdkafkaSendsIt_IsAccepted()
    {
        byte[] inner = [.. LegacyMessages.Message(0, 1, Time, "a", "1"), .. LegacyMessages.Message(1, 1, Time, "b", "2")];
        var wrapper = LegacyMessages.Message(0, 1, (byte)CompressionType.Snappy, Time, null, Snappier.Snappy.CompressToArray(inner));

        Assert.Equal(["1", "2"], Batches.Decode(Converted(wrapper)).Select(r => r.Value));
    }

    [Fact]
    public void AMagic1Wrapper_AtOffset0_AsSomeLibrdkafkaVersionsSendIt_IsAccepted_ButOneBelowItsLastInnerOffsetIsNot()
    {
        byte[] inner = [.. LegacyMessages.Message(0, 1, Time, "a", "1"), .. LegacyMessages.Message(1, 1, Time, "b", "2"), .. LegacyMessages.Message(2, 1, Time, "c", "3")];

        Assert.True(RecordUpConverter.ToRecordBatch(LegacyMessages.Wrapper(0, 1, CompressionType.Gzip, Time, inner), Cap).IsValid);
        Assert.True(RecordUpConverter.ToRecordBatch(LegacyMessages.Wrapper(2, 1, CompressionType.Gzip, Time, inner), Cap).IsValid);
        AssertRefused(ErrorCode.InvalidRecord, LegacyMessages.Wrapper(1, 1, CompressionType.Gzip, Time, inner));
    }

    [Fact]
    public void ABadCrc_IsACorruptMessage()
    {
        var message = LegacyMessages.Message(0, 1, Time, "a", "hello");
        message[^1] ^= 1;

        AssertRefused(ErrorCode.CorruptMessage, [.. LegacyMessages.Message(0, 1, Time, "a", "1"), .. message]);
    }

    [Fact]
    public void ABadCrcOfAnInnerMessage_IsACorruptMessage()
    {
        var bad = LegacyMessages.Message(1, 0, -1, "b", "2");
        bad[^1] ^= 1;

        AssertRefused(ErrorCode.CorruptMessage, LegacyMessages.Wrapper(1, 0, CompressionType.Lz4, -1, [.. LegacyMessages.Message(0, 0, -1, "a", "1"), .. bad]));
    }

    [Fact]
    public void EveryTruncatedPrefix_OfASet_IsACorruptMessage()
    {
        byte[] set = [.. LegacyMessages.Message(0, 1, Time, "a", "1"), .. LegacyMessages.Message(1, 1, Time, "bb", "22")];
        var boundary = LegacyMessages.Message(0, 1, Time, "a", "1").Length;

        for (var length = 1; length < set.Length; length++)
        {
            var result = RecordUpConverter.ToRecordBatch(set.AsSpan(0, length), Cap);
            Assert.Equal(length == boundary ? ErrorCode.None : ErrorCode.CorruptMessage, result.Error);
        }
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    public void EveryTruncatedPrefix_OfAWrappersValue_IsRefused(CompressionType codec)
    {
        byte[] inner = [.. LegacyMessages.Message(0, 1, Time, "a", "1"), .. LegacyMessages.Message(1, 1, Time, "b", new string('x', 300))];
        var whole = LegacyMessages.Wrapper(1, 1, codec, Time, inner);
        var reader = new LegacyMessageSetReader(whole);
        reader.Next(out var wrapper);
        var value = wrapper.Value.ToArray();

        for (var length = 0; length < value.Length; length++)
        {
            var truncated = LegacyMessages.Message(1, 1, (byte)codec, Time, null, value[..length]);
            var result = RecordUpConverter.ToRecordBatch(truncated, Cap);
            Assert.False(result.IsValid, $"{codec} value cut to {length} of {value.Length} bytes was accepted");
            Assert.Contains(result.Error, new[] { ErrorCode.InvalidRecord, ErrorCode.CorruptMessage });
        }
    }

    [Fact]
    public void MessagesOfTwoMagics_AreAnInvalidRecord()
    {
        AssertRefused(ErrorCode.InvalidRecord, [.. LegacyMessages.Message(0, 0, -1, "a", "1"), .. LegacyMessages.Message(1, 1, Time, "b", "2")]);
    }

    [Fact]
    public void TwoWrappers_AreAnInvalidRecord()
    {
        var inner = LegacyMessages.Message(0, 1, Time, "a", "1");

        AssertRefused(ErrorCode.InvalidRecord, [.. LegacyMessages.Wrapper(0, 1, CompressionType.Gzip, Time, inner), .. LegacyMessages.Wrapper(1, 1, CompressionType.Gzip, Time, inner)]);
        AssertRefused(ErrorCode.InvalidRecord, [.. inner, .. LegacyMessages.Wrapper(1, 1, CompressionType.Gzip, Time, inner)]);
    }

    [Fact]
    public void AWrapperWithANullValue_OrNoInnerMessage_IsAnInvalidRecord()
    {
        AssertRefused(ErrorCode.InvalidRecord, LegacyMessages.Message(0, 1, (byte)CompressionType.Gzip, Time, null, null));
        AssertRefused(ErrorCode.InvalidRecord, LegacyMessages.Wrapper(0, 1, CompressionType.Gzip, Time, []));
    }

    [Fact]
    public void AZstdWrapper_OrAnUnknownCodec_IsAnInvalidRecord()
    {
        AssertRefused(ErrorCode.InvalidRecord, LegacyMessages.Message(0, 1, (byte)CompressionType.Zstd, Time, null, [1, 2, 3]));
        AssertRefused(ErrorCode.InvalidRecord, LegacyMessages.Message(0, 1, 6, Time, null, [1, 2, 3]));
    }

    [Fact]
    public void ACompressedInnerMessage_OrOneOfAnotherMagic_IsAnInvalidRecord()
    {
        var nested = LegacyMessages.Wrapper(0, 1, CompressionType.Gzip, Time, LegacyMessages.Message(0, 1, Time, "a", "1"));

        AssertRefused(ErrorCode.InvalidRecord, LegacyMessages.Wrapper(0, 1, CompressionType.Gzip, Time, nested));
        AssertRefused(ErrorCode.InvalidRecord, LegacyMessages.Wrapper(0, 1, CompressionType.Gzip, Time, LegacyMessages.Message(0, 0, -1, "a", "1")));
    }

    [Fact]
    public void MalformedInnerMessages_AreACorruptMessage()
    {
        var inner = LegacyMessages.Message(0, 1, Time, "a", "1");

        AssertRefused(ErrorCode.CorruptMessage, LegacyMessages.Wrapper(0, 1, CompressionType.Snappy, Time, inner[..^2]));
    }

    [Fact]
    public void ALogAppendTimeFlag_FromAProducer_IsAnInvalidTimestamp()
    {
        AssertRefused(ErrorCode.InvalidTimestamp, LegacyMessages.Message(0, 1, 0x08, Time, null, [1]));
    }

    [Fact]
    public void AWrapperThatInflatesPastTheCap_IsAnInvalidRecord()
    {
        var inner = LegacyMessages.Message(0, 1, 0, Time, null, new byte[100_000]);

        var result = RecordUpConverter.ToRecordBatch(LegacyMessages.Wrapper(0, 1, CompressionType.Lz4, Time, inner), maxUncompressedBytes: 50_000);

        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
    }

    [Fact]
    public void AnEmptySet_IsAnInvalidRecord()
    {
        AssertRefused(ErrorCode.InvalidRecord, []);
    }

    [Fact]
    public void ARecordBatch_IsNoLegacyMessage()
    {
        var batch = Batches.Make(2);

        Assert.Equal(2, batch[RecordBatch.MagicOffset]);
        AssertRefused(ErrorCode.CorruptMessage, batch);
    }

    private static byte[] Converted(byte[] set)
    {
        var result = RecordUpConverter.ToRecordBatch(set, Cap);
        Assert.True(result.IsValid, result.ErrorMessage);
        var batch = result.Batch!;
        Assert.Equal(RecordBatch.CurrentMagic, RecordBatch.Magic(batch));
        Assert.True(RecordBatch.IsCrcValid(batch));
        Assert.Equal(batch.Length, RecordBatch.TotalSize(batch));
        Assert.Equal(-1, BinaryPrimitives.ReadInt32BigEndian(batch.AsSpan(RecordBatch.BaseSequenceOffset)));
        return batch;
    }

    private static void AssertRefused(ErrorCode expected, byte[] set)
    {
        var result = RecordUpConverter.ToRecordBatch(set, Cap);
        Assert.Equal(expected, result.Error);
        Assert.Null(result.Batch);
        Assert.False(string.IsNullOrEmpty(result.ErrorMessage));
    }
}
