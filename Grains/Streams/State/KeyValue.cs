namespace Tributary.Grains.Streams.State;

/// <summary>A key and its value (Kafka's <c>KeyValue</c>).</summary>
public readonly record struct KeyValue<TKey, TValue>(TKey Key, TValue Value)
{
    public static KeyValue<TKey, TValue> Pair(TKey key, TValue value) => new(key, value);
}
