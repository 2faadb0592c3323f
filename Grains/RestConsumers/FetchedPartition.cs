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

        var records = DataRecords.Read(batches, fetch.FetchOffset, (in Record record, long offset, long timestamp, TimestampType _) =>
            new ConsumedRecord(
                fetch.Partition, offset, timestamp,
                record.HasKey ? record.Key.ToArray() : null,
                record.HasValue ? record.Value.ToArray() : null));
        return new FetchedPartition(fetch, records);
    }
}
