using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Api.Connector;

/// <summary>
/// What every Connect record has (Kafka's <c>ConnectRecord</c>): the topic and partition, key and value with their
/// schemas, the timestamp (ms since the epoch) and headers. Records are immutable but for their headers; transforms
/// make new ones with <see cref="NewRecord"/>, which keeps what belongs to the record's kind (source partition and
/// offset, or the consumed offset).
/// </summary>
public abstract class ConnectRecord<TRecord>
    where TRecord : ConnectRecord<TRecord>
{
    private ConnectHeaders? _headers;

    protected ConnectRecord(
        string topic, int? kafkaPartition, Schema? keySchema, object? key, Schema? valueSchema, object? value,
        long? timestamp, IEnumerable<ConnectHeader>? headers)
    {
        Topic = topic;
        KafkaPartition = kafkaPartition;
        KeySchema = keySchema;
        Key = key;
        ValueSchema = valueSchema;
        Value = value;
        Timestamp = timestamp;
        // Most records have no headers: theirs are made when first asked for, not one empty collection per record.
        _headers = headers is null or IReadOnlyCollection<ConnectHeader> { Count: 0 } ? null : new ConnectHeaders(headers);
    }

    public string Topic { get; }

    public int? KafkaPartition { get; }

    public Schema? KeySchema { get; }

    public object? Key { get; }

    public Schema? ValueSchema { get; }

    public object? Value { get; }

    public long? Timestamp { get; }

    public ConnectHeaders Headers => _headers ?? FirstHeaders();

    /// <summary>Whether the record has any header; asked without making the empty collection a record without any does not carry.</summary>
    public bool HasHeaders => _headers is { IsEmpty: false };

    /// <summary>The headers to copy into a new record: none (not an empty collection made for it) when this one has none yet.</summary>
    protected IEnumerable<ConnectHeader>? HeadersToCopy => _headers;

    private ConnectHeaders FirstHeaders()
    {
        var made = new ConnectHeaders();
        return Interlocked.CompareExchange(ref _headers, made, null) ?? made;
    }

    /// <summary>A record like this one with the given parts; the headers are copied unless given.</summary>
    public abstract TRecord NewRecord(
        string topic, int? kafkaPartition, Schema? keySchema, object? key, Schema? valueSchema, object? value,
        long? timestamp, IEnumerable<ConnectHeader>? headers = null);

    public override string ToString() =>
        $"{GetType().Name}{{topic='{Topic}', kafkaPartition={KafkaPartition?.ToString() ?? "null"}, key={ConnectValues.Format(Key)}, " +
        $"keySchema={KeySchema?.ToString() ?? "null"}, value={ConnectValues.Format(Value)}, valueSchema={ValueSchema?.ToString() ?? "null"}, " +
        $"timestamp={Timestamp?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, headers=[{string.Join(", ", (HeadersToCopy ?? []).Select(h => h.Key))}]}}";
}
