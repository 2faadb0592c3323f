using System.Text;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Legacy;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.KafkaFormats.Records.Legacy;

public sealed class RecordDownConverterTests
{
    private const long Time = 1_700_000_000_000;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AnUncompressedBatch_BecomesOneMessagePerRecord_WithoutHeaders(byte magic)
    {
        var stored = Stored(100, Batches.Make(5, Time));

        var records = Converted(stored, magic, fetchOffset: 100);

        Assert.Equal(
            Enumerable.Range(0, 5).Select(i => new DecodedRecord(100 + i, magic == 0 ? -1 : Time + i, $"k{i}", $"v{i}", "")),
            records);
    }

    [Fact]
    public void RecordsOfAnUncompressedBatch_BelowTheFetchOffset_AreDropped_ButACompressedBatchStaysWhole()
    {
        byte[] stored = [.. Stored(0, Batches.Make(5, Time)), .. Stored(5, Batches.Make(5, Time, compression: CompressionType.Gzip, first: 5))];

        Assert.Equal(Enumerable.Range(3, 7).Select(i => (long)i), Converted(stored, 1, fetchOffset: 3).Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(5, 5).Select(i => (long)i), Converted(stored[Stored(0, Batches.Make(5, Time)).Length..], 1, fetchOffset: 8).Select(r => r.Offset));
    }

    [Theory]
    [InlineData(0, CompressionType.Gzip)]
    [InlineData(0, CompressionType.Snappy)]
    [InlineData(0, CompressionType.Lz4)]
    [InlineData(1, CompressionType.Gzip)]
    [InlineData(1, CompressionType.Snappy)]
    [InlineData(1, CompressionType.Lz4)]
    public void ACompressedBatch_BecomesOneWrapperOfItsCodec_AtItsLastOffset(byte magic, CompressionType codec)
    {
        var stored = Stored(1000, Batches.Make(20, Time, compression: codec));

        var result = RecordDownConverter.ToMessageSet(stored, magic, 1000);

        var reader = new LegacyMessageSetReader(result.Records.Span);
        Assert.Equal(LegacyReadStatus.Message, reader.Next(out var wrapper));
        Assert.Equal((1019L, codec, magic), (wrapper.Offset, wrapper.Compression, wrapper.Magic));
        Assert.Equal(LegacyReadStatus.End, reader.Next(out _));
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => new DecodedRecord(1000 + i, magic == 0 ? -1 : Time + i, $"k{i}", $"v{i}", "")),
            LegacyMessages.Decode(result.Records.Span));
        PooledBuffer.Release(result.Records);
    }

    [Fact]
    public void ControlBatches_AreDropped_AndTransactionalRecordsKept()
    {
        var transactional = new RecordBatchBuilder { ProducerId = 7, ProducerEpoch = 0, BaseSequence = 0, IsTransactional = true }
            .Append(Time, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("in-txn")).Build();
        var marker = new TransactionMarker(true, 0).Build(7, 0, Time);
        byte[] stored = [.. Stored(0, transactional), .. Stored(1, marker), .. Stored(2, Batches.Make(1, Time, first: 2))];

        var records = Converted(stored, 1, fetchOffset: 0);

        Assert.Equal([(0L, "in-txn"), (2L, "v2")], records.Select(r => (r.Offset, r.Value!)));
    }

    [Fact]
    public void ALogAppendTimeBatch_GivesEveryMessageTheBatchsTime_AsLogAppendTime()
    {
        var batch = Stored(0, Batches.Make(3, Time));
        RecordBatch.SetLogAppendTime(batch, Time + 500);

        var result = RecordDownConverter.ToMessageSet(batch, 1, 0);

        var reader = new LegacyMessageSetReader(result.Records.Span);
        Assert.Equal(LegacyReadStatus.Message, reader.Next(out var message));
        Assert.Equal(TimestampType.LogAppendTime, message.TimestampType);
        Assert.All(LegacyMessages.Decode(result.Records.Span), r => Assert.Equal(Time + 500, r.Timestamp));
    }

    [Fact]
    public void AZstdBatch_First_IsAnUnsupportedCompressionType_AndLater_EndsTheOutput()
    {
        var zstd = Stored(0, Batches.Make(2, Time, compression: CompressionType.Zstd));
        byte[] plainThenZstd = [.. Stored(0, Batches.Make(2, Time)), .. Stored(2, Batches.Make(2, Time, compression: CompressionType.Zstd, first: 2)), .. Stored(4, Batches.Make(2, Time, first: 4))];

        Assert.Equal(ErrorCode.UnsupportedCompressionType, RecordDownConverter.ToMessageSet(zstd, 1, 0).Error);
        Assert.Equal([0L, 1L], Converted(plainThenZstd, 1, 0).Select(r => r.Offset));
    }

    [Fact]
    public void TheOutput_HoldsWholeMessages_UpToTheStoredSize()
    {
        // Small records grow when each becomes a message of its own: the output stops at the stored size.
        var stored = Enumerable.Range(0, 10).SelectMany(b => Stored(b * 20, Batches.Make(20, Time, first: b * 20))).ToArray();

        var result = RecordDownConverter.ToMessageSet(stored, 1, 0);

        Assert.True(result.Records.Length <= stored.Length);
        var records = LegacyMessages.Decode(result.Records.Span);
        Assert.True(records.Count > 20 && records.Count < 200, $"{records.Count} records");
        Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.True(stored.Length - result.Records.Length < 42, "the next message would have fitted");
    }

    [Fact]
    public void TheFirstBatchsMessages_AreReturnedWhole_EvenWhenLargerThanTheStoredBytes()
    {
        var stored = Stored(0, Batches.Make(300, Time));

        var result = RecordDownConverter.ToMessageSet(stored, 1, 0);

        Assert.True(result.Records.Length > stored.Length);
        Assert.Equal(300, LegacyMessages.Decode(result.Records.Span).Count);
    }

    [Fact]
    public void ABatchCutShortAtTheEnd_IsIgnored()
    {
        byte[] stored = [.. Stored(0, Batches.Make(2, Time)), .. Stored(2, Batches.Make(2, Time, first: 2))[..70]];

        Assert.Equal([0L, 1L], Converted(stored, 0, 0).Select(r => r.Offset));
    }

    [Fact]
    public void NothingToConvert_IsNoRecords()
    {
        var result = RecordDownConverter.ToMessageSet(new TransactionMarker(false, 0).Build(1, 0, Time), 1, 0);

        Assert.Equal((ErrorCode.None, 0), (result.Error, result.Records.Length));
    }

    [Theory]
    [InlineData(0, CompressionType.None)]
    [InlineData(1, CompressionType.Gzip)]
    [InlineData(1, CompressionType.Lz4)]
    public void UpConvertedThenDownConverted_TheRecordsAreTheSame(byte magic, CompressionType codec)
    {
        using var builder = new LegacyMessageSetBuilder(magic, codec);
        for (var i = 0; i < 10; i++)
        {
            builder.Append(i, magic == 0 ? -1 : Time + i, i % 4 == 0 ? null : Encoding.UTF8.GetBytes($"k{i}"), Encoding.UTF8.GetBytes($"v{i}"));
        }

        var sent = builder.Build();
        var batch = RecordUpConverter.ToRecordBatch(sent, 1 << 20).Batch!;

        Assert.Equal(LegacyMessages.Decode(sent), Converted(batch, magic, 0));
    }

    private static byte[] Stored(long baseOffset, byte[] batch)
    {
        RecordBatch.SetBaseOffset(batch, baseOffset);
        return batch;
    }

    private static List<DecodedRecord> Converted(byte[] stored, byte magic, long fetchOffset)
    {
        var result = RecordDownConverter.ToMessageSet(stored, magic, fetchOffset);
        Assert.Equal(ErrorCode.None, result.Error);
        var records = LegacyMessages.Decode(result.Records.Span);
        PooledBuffer.Release(result.Records);
        return records;
    }
}
