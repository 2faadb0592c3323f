using Tributary.Grains.Connect.Api.Data;

using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Grains.Connect.Api.Sink;

/// <summary>How a consumed record's timestamp was set (Kafka's <c>TimestampType</c>).</summary>
public enum TimestampType
{
    NoTimestampType = -1,
    CreateTime = 0,
    LogAppendTime = 1,
}

/// <summary>
/// A record a sink task receives (Kafka's <c>SinkRecord</c>): besides the record, the offset it was consumed at and how
/// its timestamp was set, and where it was consumed before transforms renamed its topic or moved its partition
/// (<see cref="OriginalTopic"/>, <see cref="OriginalKafkaPartition"/>, <see cref="OriginalKafkaOffset"/>, KIP-793):
/// offsets are committed there.
/// </summary>
public sealed class SinkRecord : ConnectRecord<SinkRecord>
{
    public SinkRecord(
        string topic, int partition, Schema? keySchema, object? key, Schema? valueSchema, object? value, long kafkaOffset,
        long? timestamp = null, TimestampType timestampType = TimestampType.NoTimestampType, IEnumerable<ConnectHeader>? headers = null,
        string? originalTopic = null, int? originalKafkaPartition = null, long? originalKafkaOffset = null)
        : base(topic, partition, keySchema, key, valueSchema, value, timestamp, headers)
    {
        KafkaOffset = kafkaOffset;
        TimestampType = timestampType;
        OriginalTopic = originalTopic ?? topic;
        OriginalKafkaPartition = originalKafkaPartition ?? partition;
        OriginalKafkaOffset = originalKafkaOffset ?? kafkaOffset;
    }

    public long KafkaOffset { get; }

    public TimestampType TimestampType { get; }

    public string OriginalTopic { get; }

    public int OriginalKafkaPartition { get; }

    public long OriginalKafkaOffset { get; }

    public override SinkRecord NewRecord(
        string topic, int? kafkaPartition, Schema? keySchema, object? key, Schema? valueSchema, object? value,
        long? timestamp, IEnumerable<ConnectHeader>? headers = null) =>
        new(topic, kafkaPartition ?? KafkaPartition ?? 0, keySchema, key, valueSchema, value, KafkaOffset, timestamp, TimestampType,
            headers ?? HeadersToCopy, OriginalTopic, OriginalKafkaPartition, OriginalKafkaOffset);
}
