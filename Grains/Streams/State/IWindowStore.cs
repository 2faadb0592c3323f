using Tributary.Grains.Streams.Dsl;

namespace Tributary.Grains.Streams.State;

/// <summary>Reads of a window store (Kafka's <c>ReadOnlyWindowStore</c>); windows are named by their start time.</summary>
public interface IReadOnlyWindowStore<TKey, TValue>
{
    /// <summary>The value of a key in the window starting at <paramref name="windowStartMs"/>, or default.</summary>
    TValue? Fetch(TKey key, long windowStartMs);

    /// <summary>The windows of a key that start from <paramref name="fromMs"/> to <paramref name="toMs"/>, by start.</summary>
    IEnumerable<KeyValue<long, TValue>> Fetch(TKey key, long fromMs, long toMs);

    /// <summary>Every window starting from <paramref name="fromMs"/> to <paramref name="toMs"/>.</summary>
    IEnumerable<KeyValue<Windowed<TKey>, TValue>> FetchAll(long fromMs, long toMs);

    IEnumerable<KeyValue<Windowed<TKey>, TValue>> All();
}

/// <summary>A store of values per key and window (Kafka's <c>WindowStore</c>); a null value removes the window.</summary>
public interface IWindowStore<TKey, TValue> : IStateStore, IReadOnlyWindowStore<TKey, TValue>
{
    void Put(TKey key, TValue? value, long windowStartMs);
}

/// <summary>Reads of a session store (Kafka's <c>ReadOnlySessionStore</c>).</summary>
public interface IReadOnlySessionStore<TKey, TValue>
{
    /// <summary>Every session of a key.</summary>
    IEnumerable<KeyValue<Windowed<TKey>, TValue>> Fetch(TKey key);
}

/// <summary>A store of sessions per key (Kafka's <c>SessionStore</c>).</summary>
public interface ISessionStore<TKey, TValue> : IStateStore, IReadOnlySessionStore<TKey, TValue>
{
    /// <summary>The sessions of a key that end at or after <paramref name="earliestSessionEndTime"/> and start at or before <paramref name="latestSessionStartTime"/>.</summary>
    IEnumerable<KeyValue<Windowed<TKey>, TValue>> FindSessions(TKey key, long earliestSessionEndTime, long latestSessionStartTime);

    /// <summary>Puts a session; a null value removes it.</summary>
    void Put(Windowed<TKey> session, TValue? value);

    void Remove(Windowed<TKey> session);
}
