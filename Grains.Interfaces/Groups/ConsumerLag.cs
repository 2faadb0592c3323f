using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Interfaces.Groups;

/// <summary>
/// How far a group is behind on one partition: in records, from its committed offset to the high watermark, and in
/// time, the age of its oldest unconsumed record (the record at the committed offset, or at the log start when retention
/// took that one), which Kafka's tools do not give: a group far behind on a quiet topic and one a little behind on a
/// busy one show the same record lag but not the same delay.
/// </summary>
public static class ConsumerLag
{
    /// <summary>Enough for the batch that holds the record asked for: a read returns at least one whole batch.</summary>
    private const int ReadBytes = 64 * 1024;

    public static async Task<PartitionLagFigures> OfAsync(IGrainFactory grains, string topic, int partition, long committed, DateTimeOffset now)
    {
        var grain = PartitionGrainKey.Get(grains, topic, partition);
        var offsets = await grain.GetOffsetsAsync();
        var lag = Math.Max(0, offsets.HighWatermark - committed);
        if (lag == 0)
        {
            return new(committed, offsets.HighWatermark, 0, 0);
        }

        var oldest = Math.Max(committed, offsets.LogStartOffset);
        var read = await grain.ReadAsync(new ReadRequest(oldest, ReadBytes, TimeSpan.Zero));
        var timestamps = read.Error == KafkaFormats.ErrorCode.None
            ? DataRecords.Read(read.Records.Span, oldest, static (in Record _, long _, long timestamp, TimestampType _) => timestamp)
            : [];
        double? seconds = timestamps.Count > 0 ? Math.Max(0, (now.ToUnixTimeMilliseconds() - timestamps[0]) / 1000.0) : null;
        return new(committed, offsets.HighWatermark, lag, seconds);
    }
}

/// <summary>A group's position on a partition: its committed offset, the high watermark, the lag in records and, when known, in seconds.</summary>
public readonly record struct PartitionLagFigures(long Committed, long End, long Lag, double? Seconds);
