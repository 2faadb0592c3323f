using System.Buffers.Binary;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.State;

/// <summary>A key-value store whose values carry the time of their row (Kafka's <c>TimestampedKeyValueStore</c>).</summary>
internal interface ITimestampedKeyValueStore<TKey, TValue>
{
    /// <summary>The key's value and its timestamp (-1 when the store keeps none).</summary>
    bool TryGet(TKey key, out TValue value, out long timestamp);

    void Put(TKey key, TValue? value, long timestamp);
}

/// <summary>
/// The typed face of a key-value store: keys and values through their serdes (the application's defaults when
/// none were given) over a byte store (Kafka's <c>MeteredKeyValueStore</c>). When <paramref name="timestamped"/>,
/// each value's bytes are preceded by its 8-byte big-endian timestamp, as in Kafka's timestamped stores: a plain put
/// takes the time of the record being processed.
/// </summary>
internal sealed class MeteredKeyValueStore<TKey, TValue>(IKeyValueBytesStore inner, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde, bool timestamped = false)
    : IKeyValueStore<TKey, TValue>, ITimestampedKeyValueStore<TKey, TValue>, IWrappedStateStore, IForwardingStore
{
    private readonly StoreSerdes<TKey, TValue> _serdes = new(inner.Name, keySerde, valueSerde);
    private StateStoreContext? _context;

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsOpen => inner.IsOpen;

    public long ApproximateNumEntries => inner.ApproximateNumEntries;

    public IStateStore Inner => inner;

    public void Init(StateStoreContext context)
    {
        _context = context;
        _serdes.Init(context);
        inner.Init(context);
    }

    /// <summary>
    /// Forwards each change as its cache writes it below: the key, <see cref="Change"/> of the new value and the one it
    /// replaced, at the new value's time (the change's record time for a deletion), as Kafka's
    /// <c>TimestampedCacheFlushListener</c>. False when the store has no cache, so the caller forwards as it writes.
    /// </summary>
    public bool SetFlushListener(Action<Record<object?, object?>> forward) =>
        inner is CachingKeyValueStore caching && caching.SetFlushListener((key, newValue, oldValue, context) =>
        {
            var timestamp = newValue is not null && timestamped ? BinaryPrimitives.ReadInt64BigEndian(newValue) : context.Timestamp;
            var change = new Change(newValue is null ? null : Value(newValue), oldValue is null ? null : Value(oldValue));
            forward(new Record<object?, object?>(_serdes.DeserializeKey(key), change, timestamp, context.Headers));
        });

    public TValue? Get(TKey key) => TryGet(key, out var value) ? value : default;

    public bool TryGet(TKey key, out TValue value) => TryGet(key, out value, out _);

    public bool TryGet(TKey key, out TValue value, out long timestamp)
    {
        var bytes = inner.Get(_serdes.SerializeKey(key));
        timestamp = bytes is not null && timestamped ? BinaryPrimitives.ReadInt64BigEndian(bytes) : -1;
        value = bytes is null ? default! : Value(bytes);
        return bytes is not null;
    }

    public void Put(TKey key, TValue? value) => Put(key, value, _context?.CurrentTimestamp ?? -1);

    public void Put(TKey key, TValue? value, long timestamp)
    {
        var bytes = _serdes.SerializeValue(value);
        if (bytes is not null && timestamped)
        {
            var stamped = new byte[bytes.Length + 8];
            BinaryPrimitives.WriteInt64BigEndian(stamped, timestamp);
            bytes.CopyTo(stamped, 8);
            bytes = stamped;
        }

        inner.Put(_serdes.SerializeKey(key), bytes);
    }

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

    private TValue Value(byte[] bytes) => _serdes.DeserializeValue(timestamped ? bytes[8..] : bytes);

    private IEnumerable<KeyValue<TKey, TValue>> Typed(IEnumerable<KeyValuePair<byte[], byte[]>> entries)
    {
        foreach (var entry in entries)
        {
            yield return new KeyValue<TKey, TValue>(_serdes.DeserializeKey(entry.Key), Value(entry.Value));
        }
    }
}

/// <summary>A store whose cache, if it has one, forwards the DSL's table changes as it writes them.</summary>
internal interface IForwardingStore
{
    bool SetFlushListener(Action<Record<object?, object?>> forward);
}

/// <summary>A store that wraps another (the typed face over its bytes).</summary>
internal interface IWrappedStateStore
{
    IStateStore Inner { get; }
}
