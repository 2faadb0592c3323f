using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// The typed face of a window store over its bytes (Kafka's <c>MeteredWindowStore</c>); the DSL also reads and
/// writes each value's timestamp through it.
/// </summary>
internal sealed class MeteredWindowStore<TKey, TValue>(IWindowBytesStore inner, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde)
    : IWindowStore<TKey, TValue>, IWrappedStateStore, IForwardingStore
{
    private readonly StoreSerdes<TKey, TValue> _serdes = new(inner.Name, keySerde, valueSerde);
    private StateStoreContext? _context;

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsOpen => inner.IsOpen;

    public IStateStore Inner => inner;

    public long WindowSizeMs => inner.WindowSizeMs;

    public void Init(StateStoreContext context)
    {
        _context = context;
        _serdes.Init(context);
        inner.Init(context);
    }

    /// <summary>
    /// Forwards each window's change as its cache writes it below: the windowed key, <see cref="Change"/> of the new
    /// aggregate and the one it replaced, at the new value's time. False when the store has no cache.
    /// </summary>
    public bool SetFlushListener(Action<Record<object?, object?>> forward) =>
        inner is CachingWindowStore caching && caching.SetFlushListener((key, start, updated, oldValue, context) =>
        {
            var window = new Windowed<TKey>(_serdes.DeserializeKey(key), new Window(start, start + inner.WindowSizeMs));
            var change = new Change(updated.Value is null ? null : _serdes.DeserializeValue(updated.Value), oldValue is null ? null : _serdes.DeserializeValue(oldValue));
            forward(new Record<object?, object?>(window, change, updated.Value is null ? context.Timestamp : updated.Timestamp, context.Headers));
        });

    public void Put(TKey key, TValue? value, long windowStartMs) => Put(key, value, windowStartMs, _context!.CurrentTimestamp);

    public void Put(TKey key, TValue? value, long windowStartMs, long timestamp) =>
        inner.Put(_serdes.SerializeKey(key), _serdes.SerializeValue(value), windowStartMs, timestamp);

    public TValue? Fetch(TKey key, long windowStartMs) => TryFetch(key, windowStartMs, out var value, out _) ? value : default;

    public bool TryFetch(TKey key, long windowStartMs, out TValue value, out long timestamp)
    {
        if (inner.Fetch(_serdes.SerializeKey(key), windowStartMs) is { } entry)
        {
            value = _serdes.DeserializeValue(entry.Value);
            timestamp = entry.Timestamp;
            return true;
        }

        value = default!;
        timestamp = -1;
        return false;
    }

    public IEnumerable<KeyValue<long, TValue>> Fetch(TKey key, long fromMs, long toMs) =>
        inner.Fetch(_serdes.SerializeKey(key), fromMs, toMs).Select(w => new KeyValue<long, TValue>(w.Start, _serdes.DeserializeValue(w.Value)));

    /// <summary>The windows of a key that start from <paramref name="fromMs"/> to <paramref name="toMs"/>, earliest first, with the latest record time of each.</summary>
    public IEnumerable<(long Start, TValue Value, long Timestamp)> FetchWithTimestamps(TKey key, long fromMs, long toMs) =>
        inner.Fetch(_serdes.SerializeKey(key), fromMs, toMs).Select(w => (w.Start, _serdes.DeserializeValue(w.Value), w.Timestamp));

    public IEnumerable<KeyValue<Windowed<TKey>, TValue>> FetchAll(long fromMs, long toMs) =>
        inner.FetchAll(fromMs, toMs).Select(w => new KeyValue<Windowed<TKey>, TValue>(
            new Windowed<TKey>(_serdes.DeserializeKey(w.Key), new Window(w.Start, w.Start + inner.WindowSizeMs)),
            _serdes.DeserializeValue(w.Value)));

    public IEnumerable<KeyValue<Windowed<TKey>, TValue>> All() => FetchAll(long.MinValue, long.MaxValue);

    public void Flush() => inner.Flush();

    public void Close() => inner.Close();
}

/// <summary>The typed face of a session store over its bytes (Kafka's <c>MeteredSessionStore</c>).</summary>
internal sealed class MeteredSessionStore<TKey, TValue>(ISessionBytesStore inner, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde)
    : ISessionStore<TKey, TValue>, IWrappedStateStore, IForwardingStore
{
    private readonly StoreSerdes<TKey, TValue> _serdes = new(inner.Name, keySerde, valueSerde);

    /// <summary>
    /// Forwards each session's change as its cache writes it below: the session, <see cref="Change"/> of the new
    /// aggregate and the one it replaced, at the session's end (Kafka's <c>SessionCacheFlushListener</c>). False when the store has no cache.
    /// </summary>
    public bool SetFlushListener(Action<Record<object?, object?>> forward) =>
        inner is CachingSessionStore caching && caching.SetFlushListener((key, start, end, newValue, oldValue, context) =>
        {
            var session = new Windowed<TKey>(_serdes.DeserializeKey(key), new Window(start, end));
            var change = new Change(newValue is null ? null : _serdes.DeserializeValue(newValue), oldValue is null ? null : _serdes.DeserializeValue(oldValue));
            forward(new Record<object?, object?>(session, change, end, context.Headers));
        });

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsOpen => inner.IsOpen;

    public IStateStore Inner => inner;

    public void Init(StateStoreContext context)
    {
        _serdes.Init(context);
        inner.Init(context);
    }

    public IEnumerable<KeyValue<Windowed<TKey>, TValue>> FindSessions(TKey key, long earliestSessionEndTime, long latestSessionStartTime) =>
        inner.Find(_serdes.SerializeKey(key), earliestSessionEndTime, latestSessionStartTime)
            .Select(s => new KeyValue<Windowed<TKey>, TValue>(new Windowed<TKey>(key, new Window(s.Start, s.End)), _serdes.DeserializeValue(s.Value)));

    public IEnumerable<KeyValue<Windowed<TKey>, TValue>> Fetch(TKey key) => FindSessions(key, long.MinValue, long.MaxValue);

    public IEnumerable<KeyValue<Windowed<TKey>, TValue>> All() =>
        inner.All().Select(s => new KeyValue<Windowed<TKey>, TValue>(
            new Windowed<TKey>(_serdes.DeserializeKey(s.Key), new Window(s.Start, s.End)),
            _serdes.DeserializeValue(s.Value)));

    public void Put(Windowed<TKey> session, TValue? value) =>
        inner.Put(_serdes.SerializeKey(session.Key), session.Window.StartMs, session.Window.EndMs, _serdes.SerializeValue(value));

    public void Remove(Windowed<TKey> session) => inner.Put(_serdes.SerializeKey(session.Key), session.Window.StartMs, session.Window.EndMs, null);

    public void Flush() => inner.Flush();

    public void Close() => inner.Close();
}
