using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// The part of a record a Key/Value transform variant works on. Kafka spells this as nested <c>$Key</c> and
/// <c>$Value</c> subclasses that each override three accessors; one enum passed to the base class says the same once.
/// </summary>
public enum RecordPart
{
    Key,
    Value,
}

/// <summary>Reads and replaces the key or the value of a record, leaving every other part as it was.</summary>
public static class RecordParts
{
    public static Schema? SchemaOf<TRecord>(this RecordPart part, TRecord record)
        where TRecord : ConnectRecord<TRecord> =>
        part == RecordPart.Key ? record.KeySchema : record.ValueSchema;

    public static object? ValueOf<TRecord>(this RecordPart part, TRecord record)
        where TRecord : ConnectRecord<TRecord> =>
        part == RecordPart.Key ? record.Key : record.Value;

    /// <summary>A copy of <paramref name="record"/> whose key or value (and its schema) is replaced; headers are copied unless given.</summary>
    public static TRecord With<TRecord>(
        this RecordPart part, TRecord record, Schema? schema, object? value, IEnumerable<ConnectHeader>? headers = null)
        where TRecord : ConnectRecord<TRecord> =>
        part == RecordPart.Key
            ? record.NewRecord(record.Topic, record.KafkaPartition, schema, value, record.ValueSchema, record.Value, record.Timestamp, headers)
            : record.NewRecord(record.Topic, record.KafkaPartition, record.KeySchema, record.Key, schema, value, record.Timestamp, headers);
}
