namespace Tributary.Grains.Streams.State;

/// <summary>Reads of a key-value store, also what interactive queries get (Kafka's <c>ReadOnlyKeyValueStore</c>).</summary>
public interface IReadOnlyKeyValueStore<TKey, TValue>
{
    /// <summary>The value of a key, or default when the key has none (see <see cref="TryGet"/>).</summary>
    TValue? Get(TKey key);

    bool TryGet(TKey key, out TValue value);

    /// <summary>The entries whose serialized keys lie from <paramref name="from"/> to <paramref name="to"/>, both included, in byte order.</summary>
    IEnumerable<KeyValue<TKey, TValue>> Range(TKey from, TKey to);

    /// <summary>Every entry in the byte order of the serialized keys.</summary>
    IEnumerable<KeyValue<TKey, TValue>> All();

    long ApproximateNumEntries { get; }
}

/// <summary>A key-value store (Kafka's <c>KeyValueStore</c>); a null value deletes the key.</summary>
public interface IKeyValueStore<TKey, TValue> : IStateStore, IReadOnlyKeyValueStore<TKey, TValue>
{
    void Put(TKey key, TValue? value);

    /// <summary>Puts the value when the key has none; returns the value the key had.</summary>
    TValue? PutIfAbsent(TKey key, TValue value);

    void PutAll(IEnumerable<KeyValue<TKey, TValue>> entries);

    /// <summary>Removes the key; returns the value it had.</summary>
    TValue? Delete(TKey key);
}
