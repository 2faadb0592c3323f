namespace Tributary.Grains.Streams.Processor;

/// <summary>A consumed record as a timestamp extractor sees it: deserialized key and value, and the record's own timestamp.</summary>
public readonly record struct ConsumedRecord(string Topic, int Partition, long Offset, object? Key, object? Value, long Timestamp);

/// <summary>Chooses the timestamp a record is processed at (Kafka's <c>TimestampExtractor</c>).</summary>
public interface ITimestampExtractor
{
    /// <param name="partitionTime">the largest timestamp seen on the record's partition so far, -1 before the first</param>
    long Extract(ConsumedRecord record, long partitionTime);
}

/// <summary>The record's own timestamp; a negative one fails the task (Kafka's default, <c>FailOnInvalidTimestamp</c>).</summary>
public sealed class FailOnInvalidTimestamp : ITimestampExtractor
{
    public long Extract(ConsumedRecord record, long partitionTime) =>
        record.Timestamp >= 0
            ? record.Timestamp
            : throw new StreamsException(
                $"Input record at offset {record.Offset} of {record.Topic}-{record.Partition} has invalid (negative) timestamp {record.Timestamp}. "
                + "Use a different TimestampExtractor to process this data.");
}

/// <summary>The record's own timestamp; records with a negative one are skipped (Kafka's <c>LogAndSkipOnInvalidTimestamp</c>).</summary>
public sealed class LogAndSkipOnInvalidTimestamp : ITimestampExtractor
{
    public long Extract(ConsumedRecord record, long partitionTime) => record.Timestamp;
}

/// <summary>The record's own timestamp, or the partition's time when it is negative (Kafka's <c>UsePartitionTimeOnInvalidTimestamp</c>).</summary>
public sealed class UsePartitionTimeOnInvalidTimestamp : ITimestampExtractor
{
    public long Extract(ConsumedRecord record, long partitionTime) =>
        record.Timestamp >= 0
            ? record.Timestamp
            : partitionTime >= 0
                ? partitionTime
                : throw new StreamsException(
                    $"Could not infer a timestamp for the record at offset {record.Offset} of {record.Topic}-{record.Partition}: "
                    + "its own is negative and the partition has none yet.");
}

/// <summary>The wall clock at processing time (Kafka's <c>WallclockTimestampExtractor</c>).</summary>
public sealed class WallclockTimestampExtractor(TimeProvider? clock = null) : ITimestampExtractor
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public long Extract(ConsumedRecord record, long partitionTime) => _clock.GetUtcNow().ToUnixTimeMilliseconds();
}
