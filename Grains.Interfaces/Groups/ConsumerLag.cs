using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Interfaces.Groups;

/// <summary>
/// How far a group is behind on one partition: in records, from its committed offset to the high watermark, and in
/// time, the age of its oldest unconsumed record (the first data record at or after the committed offset, or after the
/// log start when retention took that one), which Kafka's tools do not give: a group far behind on a quiet topic and
/// one a little behind on a busy one show the same record lag but not the same delay. The age is the record's
/// timestamp's: with CreateTime, the producer's (replayed or mirrored records carry their original time).
/// </summary>
public static class ConsumerLag
{
    /// <summary>Enough for the batch that holds the record asked for: a read returns at least one whole batch.</summary>
    private const int ReadBytes = 64 * 1024;

    /// <summary>Reads past transaction markers before giving up on finding a data record.</summary>
    private const int MaxReads = 8;

    public static async Task<PartitionLagFigures> OfAsync(IGrainFactory grains, string topic, int partition, long committed)
    {
        var grain = PartitionGrainKey.Get(grains, topic, partition);
        var offsets = await grain.GetOffsetsAsync();
        var lag = Math.Max(0, offsets.HighWatermark - committed);
        if (lag == 0)
        {
            return new(committed, offsets.HighWatermark, 0, null, NothingToConsume: true);
        }

        var position = Math.Max(committed, offsets.LogStartOffset);
        for (var reads = 0; reads < MaxReads && position < offsets.HighWatermark; reads++)
        {
            var read = await grain.ReadAsync(new ReadRequest(position, ReadBytes, TimeSpan.Zero));
            if (read.Error != KafkaFormats.ErrorCode.None)
            {
                break;
            }

            try
            {
                var (timestamp, next) = FirstTimestamp(read.Records.Span, position);
                if (timestamp is { } found)
                {
                    // A record without a timestamp (-1, the old message formats) has no age.
                    return new(committed, offsets.HighWatermark, lag, found >= 0 ? found : null, NothingToConsume: false);
                }

                if (next <= position)
                {
                    break;
                }

                position = next;
            }
            finally
            {
                PooledBuffer.Release(read.Records);
            }
        }

        // Only transaction markers between the committed offset and the high watermark: nothing to consume.
        return new(committed, offsets.HighWatermark, lag, null, NothingToConsume: position >= offsets.HighWatermark);
    }

    /// <summary>The timestamp of the first data record at or after <paramref name="from"/> in whole batches, and the offset after the last batch.</summary>
    private static (long? Timestamp, long Next) FirstTimestamp(ReadOnlySpan<byte> batches, long from)
    {
        var next = from;
        while (batches.Length >= RecordBatch.LogOverhead && RecordBatch.TotalSize(batches) <= batches.Length)
        {
            var batch = batches[..RecordBatch.TotalSize(batches)];
            batches = batches[batch.Length..];
            next = RecordBatch.LastOffset(batch) + 1;
            if (!RecordBatch.IsControl(batch) && DataRecords.Read(batch, from, static (in Record _, long _, long timestamp, TimestampType _) => timestamp) is [var first, ..])
            {
                return (first, next);
            }
        }

        return (null, next);
    }
}

/// <summary>
/// A group's position on a partition: its committed offset, the high watermark, the lag in records, and the timestamp
/// of its oldest unconsumed record when one was found (<see cref="NothingToConsume"/> when only transaction markers,
/// or nothing, lie ahead of it).
/// </summary>
public readonly record struct PartitionLagFigures(long Committed, long End, long Lag, long? OldestUnconsumedTimestamp, bool NothingToConsume)
{
    /// <summary>How long the oldest unconsumed record has waited at <paramref name="now"/>: 0 when there is nothing to consume, null when not known.</summary>
    public double? SecondsBehind(DateTimeOffset now) =>
        NothingToConsume ? 0
        : OldestUnconsumedTimestamp is { } timestamp ? Math.Max(0, (now.ToUnixTimeMilliseconds() - timestamp) / 1000.0)
        : null;
}
