using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// Turns a consumed record into what its source forwards: key and value deserialized by the source's serdes, the
/// timestamp its extractor gives (with the partition's time so far). A record that cannot be read is skipped, logged,
/// when the deserialization handler says continue, as is one whose timestamp is negative; otherwise it fails the task.
/// </summary>
internal sealed class RecordStamper(ITimestampExtractor defaultExtractor, DeserializationExceptionHandling onDeserializationError, ILogger logger)
{
    private readonly Dictionary<TopicPartition, long> _partitionTimes = [];

    /// <returns>false when the record is to be skipped (its offset still counts as processed)</returns>
    public bool TryStamp(SourceNode source, RawRecord raw, out object? key, out object? value, out long timestamp)
    {
        var partition = new TopicPartition(raw.Topic, raw.Partition);
        var partitionTime = _partitionTimes.GetValueOrDefault(partition, -1);
        if (!TryStamp(source, raw, ref partitionTime, out key, out value, out timestamp))
        {
            return false;
        }

        _partitionTimes[partition] = partitionTime;
        return true;
    }

    /// <summary>The same, with the caller keeping the record's partition time (-1 before any record): the largest timestamp extracted so far.</summary>
    public bool TryStamp(SourceNode source, RawRecord raw, ref long partitionTime, out object? key, out object? value, out long timestamp)
    {
        timestamp = raw.Timestamp;
        try
        {
            key = source.DeserializeKey(raw.Topic, raw.Key, raw.Headers);
            value = source.DeserializeValue(raw.Topic, raw.Value, raw.Headers);
        }
        catch (Exception e) when (onDeserializationError == DeserializationExceptionHandling.LogAndContinue)
        {
            StreamsLog.SkippedUndeserializable(logger, raw.Topic, raw.Partition, raw.Offset, e.Message);
            key = value = null;
            return false;
        }
        catch (Exception e)
        {
            throw new StreamsException(
                $"Deserialization exception handler is set to fail upon a deserialization error. Failed on record at offset {raw.Offset} "
                + $"of {raw.Topic}-{raw.Partition}: {e.Message}", e);
        }

        var extracted = (source.Extractor ?? defaultExtractor).Extract(
            new ConsumedRecord(raw.Topic, raw.Partition, raw.Offset, key, value, raw.Timestamp), partitionTime);
        if (extracted < 0)
        {
            StreamsLog.SkippedInvalidTimestamp(logger, raw.Topic, raw.Partition, raw.Offset, extracted);
            return false;
        }

        partitionTime = Math.Max(partitionTime, extracted);
        timestamp = extracted;
        return true;
    }
}
