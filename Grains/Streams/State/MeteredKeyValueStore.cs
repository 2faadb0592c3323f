using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// The typed face of a key-value store: keys and values through their serdes (the application's defaults when
/// none were given) over a byte store (Kafka's <c>MeteredKeyValueStore</c>).
/// </summary>
internal sealed class MeteredKeyValueStore<TKey, TValue>(IKeyValueBytesStore inner, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde)
    : IKeyValueStore<TKey, TValue>, IWrappedStateStore
{
    private readonly StoreSerdes<TKey, TValue> _serdes = new(inner.Name, keySerde, valueSerde);

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsOpen => inner.IsOpen;

    public long ApproximateNumEntries => inner.ApproximateNumEntries;

    public IStateStore Inner => inner;

    public void Init(StateStoreContext context)
    {
        _serdes.Init(context);
        inner.Init(context);
    }

    public TValue? Get(TKey key) => TryGet(key, out var value) ? value : default;

    public bool TryGet(TKey key, out TValue value)
    {
        var bytes = inner.Get(_serdes.SerializeKey(key));
        value = bytes is null ? default! : _serdes.DeserializeValue(bytes);
        return bytes is not null;
    }

    public void Put(TKey key, TValue? value) => inner.Put(_serdes.SerializeKey(key), _serdes.SerializeValue(value));

    public TValue? PutIfAbsent(TKey key, TValue value)
    {
        if (TryGet(key, out var existing))
        {
            return existing;
        }

        Put(key, value);
        return default;
    }

    public void PutAll(IEnumerable<KeyValue<TKey, TValue>> entries)
    {
        foreach (var entry in entries)
        {
            Put(entry.Key, entry.Value);
        }
    }

    public TValue? Delete(TKey key)
    {
        var had = TryGet(key, out var value);
        inner.Put(_serdes.SerializeKey(key), null);
        return had ? value : default;
    }

    public IEnumerable<KeyValue<TKey, TValue>> Range(TKey from, TKey to) => Typed(inner.Range(_serdes.SerializeKey(from), _serdes.SerializeKey(to)));

    public IEnumerable<KeyValue<TKey, TValue>> All() => Typed(inner.All());

    public void Flush() => inner.Flush();

    public void Close() => inner.Close();

    private IEnumerable<KeyValue<TKey, TValue>> Typed(IEnumerable<KeyValuePair<byte[], byte[]>> entries)
    {
        foreach (var entry in entries)
        {
            yield return new KeyValue<TKey, TValue>(_serdes.DeserializeKey(entry.Key), _serdes.DeserializeValue(entry.Value));
        }
    }
}

/// <summary>A store that wraps another (the typed face over its bytes).</summary>
internal interface IWrappedStateStore
{
    IStateStore Inner { get; }
}
