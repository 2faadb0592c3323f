using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.RestConsumers;

/// <summary>A partition's answer to its <see cref="PartitionFetch"/>: the data records from the fetch offset on.</summary>
public sealed record FetchedPartition(PartitionFetch Fetch, IReadOnlyList<ConsumedRecord> Records)
{
    /// <summary>
    /// The data records of the whole batches a read returned, from the fetch offset on (a batch may begin before it);
    /// control batches (transaction markers) are skipped, and a partial batch at the end is left for the next read. A
    /// read that failed has no records: the next poll reads from the same position.
    /// </summary>
    public static FetchedPartition Decode(PartitionFetch fetch, ErrorCode error, ReadOnlySpan<byte> batches)
    {
        if (error != ErrorCode.None)
        {
            return new FetchedPartition(fetch, []);
        }

        var records = new List<ConsumedRecord>();
        while (batches.Length >= RecordBatch.LogOverhead)
        {
            var size = RecordBatch.TotalSize(batches);
            if (size > batches.Length)
            {
                break;
            }

            var batch = batches[..size];
            batches = batches[size..];
            if (RecordBatch.IsControl(batch))
            {
                continue;
            }

            var baseOffset = RecordBatch.BaseOffset(batch);
            var baseTimestamp = RecordBatch.BaseTimestamp(batch);
            var logAppendTime = RecordBatch.TimestampType(batch) == TimestampType.LogAppendTime;
            using var view = RecordsView.Open(batch);
            var reader = view.GetReader();
            while (reader.Next(out var record) == RecordReadStatus.Record)
            {
                var offset = baseOffset + record.OffsetDelta;
                if (offset < fetch.FetchOffset)
                {
                    continue;
                }

                records.Add(new ConsumedRecord(
                    fetch.Partition, offset,
                    logAppendTime ? RecordBatch.MaxTimestamp(batch) : baseTimestamp + record.TimestampDelta,
                    record.HasKey ? record.Key.ToArray() : null,
                    record.HasValue ? record.Value.ToArray() : null));
            }
        }

        return new FetchedPartition(fetch, records);
    }
}
