using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.KafkaFormats.Records;

/// <summary>The data records of a partition read, as the platform's own consumers decode them.</summary>
public sealed class DataRecordsTests
{
    [Fact]
    public void ABatchWhoseHeaderClaimsBillionsOfRecords_GivesTheRecordsItHolds_WithoutAListSizedForTheClaim()
    {
        var batch = new RecordBatchBuilder().Append(1000, [1], [10]).Append(1001, null, [11]).Build(baseOffset: 5);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatch.RecordsCountOffset), int.MaxValue);

        var records = DataRecords.Read(batch, 0, (in Tributary.Grains.KafkaFormats.Records.Record record, long offset, long timestamp, TimestampType type) => (offset, record.Value.ToArray()));

        Assert.Equal([(5L, "0A"), (6L, "0B")], records.Select(r => (r.offset, Convert.ToHexString(r.Item2))));
        Assert.True(records.Capacity <= batch.Length / 7, $"a list of capacity {records.Capacity} for a batch of {batch.Length} bytes");
    }

    [Fact]
    public void RecordsOfSeveralBatches_AreReadIntoAListOfTheirCount()
    {
        var first = new RecordBatchBuilder().Append(1000, null, [1]).Append(1001, null, [2]).Append(1002, null, [3]).Build(baseOffset: 0);
        var second = new RecordBatchBuilder().Append(1003, null, [4]).Build(baseOffset: 3);
        byte[] batches = [.. first, .. second];

        var records = DataRecords.Read(batches, 1, (in Tributary.Grains.KafkaFormats.Records.Record record, long offset, long timestamp, TimestampType type) => offset);

        Assert.Equal([1L, 2L, 3L], records);
        Assert.Equal(4, records.Capacity); // every record the batches hold, those before the fetch offset too
    }
}
