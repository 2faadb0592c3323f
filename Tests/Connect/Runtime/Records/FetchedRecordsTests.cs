using System.Text;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.Connect.Runtime.Records;

public sealed class FetchedRecordsTests
{
    private static readonly TopicPartition Partition = new("orders", 2);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Every record of the read, taken at once.</summary>
    private static List<ConsumerRecord> Decode(TopicPartition partition, long fetchOffset, ReadOnlyMemory<byte> batches)
    {
        using var fetched = new FetchedRecords(partition, fetchOffset, batches);
        var records = new List<ConsumerRecord>();
        fetched.TakeInto(records, int.MaxValue);
        Assert.True(fetched.IsExhausted);
        return records;
    }

    private static byte[] Batch(long baseOffset, long firstTimestamp, params string[] values)
    {
        var builder = new RecordBatchBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            builder.Append(firstTimestamp + i, Bytes("k" + values[i]), Bytes(values[i]));
        }

        return builder.Build(baseOffset);
    }

    [Fact]
    public void Decode_GivesEveryRecord_WithOffsetTimestampKeyAndValue()
    {
        var records = Decode(Partition, 10, Batch(10, 1000, "a", "b"));

        Assert.Equal(2, records.Count);
        Assert.Equal([10L, 11L], records.Select(r => r.Offset));
        Assert.Equal([1000L, 1001L], records.Select(r => r.Timestamp));
        Assert.Equal("ka", Encoding.UTF8.GetString(records[0].Key!));
        Assert.Equal("b", Encoding.UTF8.GetString(records[1].Value!));
        Assert.All(records, r => Assert.Equal(Partition, r.Partition));
        Assert.All(records, r => Assert.Equal(Tributary.Grains.Connect.Api.Sink.TimestampType.CreateTime, r.TimestampType));
    }

    [Fact]
    public void Decode_KeepsHeaders_InOrder_WithNullValues()
    {
        var batch = new RecordBatchBuilder()
            .Append(5, null, Bytes("v"), [new("trace", Bytes("t1")), new("empty", null), new("trace", Bytes("t2"))])
            .Build(0);

        var record = Assert.Single(Decode(Partition, 0, batch));

        Assert.Null(record.Key);
        Assert.Equal(["trace", "empty", "trace"], record.Headers.Select(h => h.Key));
        Assert.Equal("t1", Encoding.UTF8.GetString(record.Headers[0].Value!));
        Assert.Null(record.Headers[1].Value);
        Assert.Equal("t2", Encoding.UTF8.GetString(record.Headers[2].Value!));
    }

    [Fact]
    public void Decode_SkipsRecordsBeforeTheFetchOffset_InABatchThatStartsEarlier()
    {
        var records = Decode(Partition, 12, Batch(10, 0, "a", "b", "c", "d"));

        Assert.Equal([12L, 13L], records.Select(r => r.Offset));
        Assert.Equal(["c", "d"], records.Select(r => Encoding.UTF8.GetString(r.Value!)));
    }

    [Fact]
    public void Decode_ReadsSeveralBatches_AndLeavesAPartialTrailingBatch()
    {
        var first = Batch(0, 0, "a", "b");
        var second = Batch(2, 0, "c");
        var third = Batch(3, 0, "d", "e");
        var bytes = first.Concat(second).Concat(third.AsSpan(0, third.Length - 5).ToArray()).ToArray();

        var records = Decode(Partition, 0, bytes);

        Assert.Equal([0L, 1L, 2L], records.Select(r => r.Offset));
    }

    [Fact]
    public void Decode_LessThanABatchHeader_GivesNothing()
    {
        Assert.Empty(Decode(Partition, 0, Batch(0, 0, "a").AsMemory(0, 8)));
        Assert.Empty(Decode(Partition, 0, ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void Decode_SkipsControlBatches()
    {
        var control = new RecordBatchBuilder { IsControl = true, IsTransactional = true }.Append(0, new byte[] { 0, 0, 0, 1 }, new byte[] { 0, 0, 0, 0, 0, 0 }).Build(0);
        var data = Batch(1, 0, "x");

        var records = Decode(Partition, 0, control.Concat(data).ToArray());

        Assert.Equal([1L], records.Select(r => r.Offset));
    }

    [Fact]
    public void Decode_LogAppendTimeBatch_UsesTheBrokersTime()
    {
        var batch = Batch(0, 100, "a", "b");
        RecordBatch.SetLogAppendTime(batch, 5000);

        var records = Decode(Partition, 0, batch);

        Assert.All(records, r => Assert.Equal(5000L, r.Timestamp));
        Assert.All(records, r => Assert.Equal(Tributary.Grains.Connect.Api.Sink.TimestampType.LogAppendTime, r.TimestampType));
    }

    [Fact]
    public void TakeInto_DecodesAsFarAsAskedAcrossBatches_AndGoesOnWhereItStopped()
    {
        var bytes = Batch(0, 0, "a", "b", "c").Concat(Batch(3, 0, "d", "e")).ToArray();
        using var fetched = new FetchedRecords(Partition, 1, bytes);
        var taken = new List<ConsumerRecord>();

        Assert.Equal(2, fetched.TakeInto(taken, 2));
        Assert.Equal([1L, 2L], taken.Select(r => r.Offset));
        Assert.False(fetched.IsExhausted);

        Assert.Equal(2, fetched.TakeInto(taken, 2));
        Assert.Equal(["b", "c", "d", "e"], taken.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.Equal(0, fetched.TakeInto(taken, 2));
        Assert.True(fetched.IsExhausted);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void TakeInto_ReadsACompressedBatchInPieces(CompressionType codec)
    {
        var builder = new RecordBatchBuilder { Compression = codec };
        for (var i = 0; i < 100; i++)
        {
            builder.Append(i, null, Bytes("value " + i));
        }

        using var fetched = new FetchedRecords(Partition, 0, builder.Build(50));
        var taken = new List<ConsumerRecord>();
        while (fetched.TakeInto(taken, 7) > 0)
        {
        }

        Assert.Equal(Enumerable.Range(50, 100).Select(i => (long)i), taken.Select(r => r.Offset));
        Assert.Equal("value 99", Encoding.UTF8.GetString(taken[^1].Value!));
        Assert.Equal(99L, taken[^1].Timestamp);
    }

    [Fact]
    public void APooledRead_GoesBackToThePool_WhenItsLastRecordIsTaken()
    {
        var batch = Batch(0, 0, "a", "b");
        var pooled = PooledBuffer.Rent(batch.Length);
        batch.CopyTo(pooled.WritableSpan);
        var fetched = new FetchedRecords(Partition, 0, pooled.Memory);
        var taken = new List<ConsumerRecord>();

        fetched.TakeInto(taken, 1);
        Assert.Equal(batch.Length, pooled.Memory.Span.Length); // still held: a record is left
        fetched.TakeInto(taken, 1);
        fetched.TakeInto(taken, 1);

        Assert.True(fetched.IsExhausted);
        Assert.Throws<ObjectDisposedException>(() => pooled.Memory.Span.Length);
        Assert.Equal(["a", "b"], taken.Select(r => Encoding.UTF8.GetString(r.Value!)));
        fetched.Dispose(); // a second give-back is not made
    }
}
