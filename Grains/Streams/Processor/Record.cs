using Confluent.Kafka;

namespace Tributary.Grains.Streams.Processor;

/// <summary>
/// A record as a processor sees it (Kafka's <c>api.Record</c>): key, value, timestamp in milliseconds and headers.
/// The <c>With*</c> methods make a new record; the headers are shared, so copy them before changing them for one
/// child only.
/// </summary>
public readonly record struct Record<TKey, TValue>(TKey Key, TValue Value, long Timestamp, Headers Headers)
{
    public Record(TKey key, TValue value, long timestamp)
        : this(key, value, timestamp, [])
    {
    }

    public Record<TNewKey, TValue> WithKey<TNewKey>(TNewKey key) => new(key, Value, Timestamp, Headers);

    public Record<TKey, TNewValue> WithValue<TNewValue>(TNewValue value) => new(Key, value, Timestamp, Headers);

    public Record<TKey, TValue> WithTimestamp(long timestamp) => this with { Timestamp = timestamp };

    public Record<TKey, TValue> WithHeaders(Headers headers) => this with { Headers = headers };
}
