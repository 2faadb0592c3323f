using Tributary.Grains.Connect.Api.Data;

using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Grains.Connect.Api.Source;

/// <summary>
/// A record a source task read (Kafka's <c>SourceRecord</c>): besides the record, where it came from in the source
/// system (<see cref="SourcePartition"/>, e.g. <c>{"table": "users"}</c>) and how far that source has been read
/// (<see cref="SourceOffset"/>, e.g. <c>{"incrementing": 42}</c>). The runtime stores the latest offset of each source
/// partition once the record is written, and gives it back to the task when it starts again.
/// </summary>
public sealed class SourceRecord : ConnectRecord<SourceRecord>
{
    public SourceRecord(
        IReadOnlyDictionary<string, object?>? sourcePartition, IReadOnlyDictionary<string, object?>? sourceOffset,
        string topic, int? kafkaPartition, Schema? keySchema, object? key, Schema? valueSchema, object? value,
        long? timestamp = null, IEnumerable<ConnectHeader>? headers = null)
        : base(topic, kafkaPartition, keySchema, key, valueSchema, value, timestamp, headers)
    {
        SourcePartition = sourcePartition;
        SourceOffset = sourceOffset;
    }

    public SourceRecord(
        IReadOnlyDictionary<string, object?>? sourcePartition, IReadOnlyDictionary<string, object?>? sourceOffset,
        string topic, Schema? valueSchema, object? value)
        : this(sourcePartition, sourceOffset, topic, null, null, null, valueSchema, value)
    {
    }

    public IReadOnlyDictionary<string, object?>? SourcePartition { get; }

    public IReadOnlyDictionary<string, object?>? SourceOffset { get; }

    public override SourceRecord NewRecord(
        string topic, int? kafkaPartition, Schema? keySchema, object? key, Schema? valueSchema, object? value,
        long? timestamp, IEnumerable<ConnectHeader>? headers = null) =>
        new(SourcePartition, SourceOffset, topic, kafkaPartition, keySchema, key, valueSchema, value, timestamp, headers ?? HeadersToCopy);
}
