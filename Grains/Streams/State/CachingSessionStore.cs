using System.Buffers.Binary;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// Holds a session store's changes in the thread's record cache (Kafka's <c>CachingSessionStore</c>), as
/// <see cref="CachingKeyValueStore"/> does for key-value stores: finds see them at once; the store below and its
/// changelog get each session's latest change at a commit or an eviction, and a flush listener forwards it then. A
/// session made and merged away within the cache never reaches either.
/// </summary>
internal sealed class CachingSessionStore(ISessionBytesStore inner, long retentionMs) : CachingStore<ISessionBytesStore>(inner, ordered: true), ISessionBytesStore
{

    // The latest session end put, by which cached sessions expire as they do below.
    private long _observed = long.MinValue;
    private Action<byte[], long, long, byte[]?, byte[]?, Internals.ProcessorRecordContext>? _listener;

    /// <summary>
    /// Sets what receives each session's change as it is written below (key, start, end, new value, the value it
    /// replaced, the change's record context); false when nothing is cached here.
    /// </summary>
    public bool SetFlushListener(Action<byte[], long, long, byte[]?, byte[]?, Internals.ProcessorRecordContext> listener)
    {
        _listener = Caching ? listener : null;
        return Caching;
    }

    public void Put(byte[] key, long start, long end, byte[]? value)
    {
        if (Part.Named is null)
        {
            Inner.Put(key, start, end, value);
            return;
        }

        _observed = Math.Max(_observed, end);
        Part.Put(CacheKey(key, start, end), value);
    }

    /// <summary>Whether a session is within the retention period: one that ended before it is gone below, or will be at the next flush.</summary>
    private bool Live(long end) => end >= EarliestLive;

    /// <summary>The earliest session end within the retention period of the latest one put.</summary>
    private long EarliestLive => _observed == long.MinValue ? long.MinValue : _observed - retentionMs + 1;

    public IEnumerable<(long Start, long End, byte[] Value)> Find(byte[] key, long earliestEnd, long latestStart)
    {
        // None that ended behind the retention period, cached or below (which may not know yet).
        earliestEnd = Math.Max(earliestEnd, EarliestLive);
        if (Part.Named is not { Count: > 0 })
        {
            return Inner.Find(key, earliestEnd, latestStart);
        }

        // A key's sessions that start by the latest start are one range of the cache (session starts are not negative).
        var range = latestStart < 0 ? [] : Part.Named.Range(CacheKey(key, 0, 0), CacheKey(key, latestStart, long.MaxValue));
        var cached = Cached(range, s => s.End >= earliestEnd && s.Start <= latestStart && ByteArrayComparer.Instance.Equals(s.Key, key), byKeyFirst: false);
        return Merge(Inner.Find(key, earliestEnd, latestStart).Select(s => (key, s.Start, s.End, s.Value)), cached, byKeyFirst: false)
            .Select(s => (s.Start, s.End, s.Value));
    }

    public IEnumerable<(byte[] Key, long Start, long End, byte[] Value)> All() =>
        (Part.Named is not { Count: > 0 } ? Inner.All() : Merge(Inner.All(), Cached(Part.Named.Snapshot(), _ => true, byKeyFirst: true), byKeyFirst: true))
            .Where(s => Live(s.End));

    private static byte[] CacheKey(byte[] key, long start, long end)
    {
        var bytes = new byte[key.Length + 16];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), start);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length + 8), end);
        return bytes;
    }

    private static (byte[] Key, long Start, long End) Split(byte[] cacheKey) =>
        (cacheKey[..^16], BinaryPrimitives.ReadInt64BigEndian(cacheKey.AsSpan(cacheKey.Length - 16)), BinaryPrimitives.ReadInt64BigEndian(cacheKey.AsSpan(cacheKey.Length - 8)));

    /// <summary>The cached sessions of <paramref name="entries"/> that <paramref name="wanted"/> takes, in the order of the read they join.</summary>
    private List<(byte[] Key, long Start, long End, CacheEntry Entry)> Cached(
        List<DirtyEntry> entries, Func<(byte[] Key, long Start, long End), bool> wanted, bool byKeyFirst)
    {
        var cached = new List<(byte[] Key, long Start, long End, CacheEntry Entry)>();
        foreach (var entry in entries)
        {
            var session = Split(entry.Key);
            if (Live(session.End) && wanted(session))
            {
                cached.Add((session.Key, session.Start, session.End, entry.Entry));
            }
        }

        cached.Sort((a, b) => Order(a.Key, a.Start, a.End, b.Key, b.Start, b.End, byKeyFirst));
        return cached;
    }

    /// <summary>Sessions by key bytes (for <see cref="All"/>), then end, then start, as the stores below order them.</summary>
    private static int Order(byte[] keyA, long startA, long endA, byte[] keyB, long startB, long endB, bool byKeyFirst)
    {
        var byKey = byKeyFirst ? ByteArrayComparer.Instance.Compare(keyA, keyB) : 0;
        return byKey != 0 ? byKey : endA != endB ? endA.CompareTo(endB) : startA.CompareTo(startB);
    }

    /// <summary>The sessions below merged with the cached ones in the same order: a cached entry replaces the one below, a cached removal hides it.</summary>
    private static IEnumerable<(byte[] Key, long Start, long End, byte[] Value)> Merge(
        IEnumerable<(byte[] Key, long Start, long End, byte[] Value)> below, List<(byte[] Key, long Start, long End, CacheEntry Entry)> cached, bool byKeyFirst)
    {
        var next = 0;
        foreach (var session in below)
        {
            for (; next < cached.Count && Compare(cached[next], session) < 0; next++)
            {
                if (cached[next].Entry.Value is { } value)
                {
                    yield return (cached[next].Key, cached[next].Start, cached[next].End, value);
                }
            }

            if (next < cached.Count && Compare(cached[next], session) == 0)
            {
                if (cached[next].Entry.Value is { } value)
                {
                    yield return (session.Key, session.Start, session.End, value);
                }

                next++;
                continue;
            }

            yield return session;
        }

        for (; next < cached.Count; next++)
        {
            if (cached[next].Entry.Value is { } value)
            {
                yield return (cached[next].Key, cached[next].Start, cached[next].End, value);
            }
        }

        int Compare((byte[] Key, long Start, long End, CacheEntry Entry) a, (byte[] Key, long Start, long End, byte[] Value) b) =>
            Order(a.Key, a.Start, a.End, b.Key, b.Start, b.End, byKeyFirst);
    }

    /// <summary>Writes a flushed change below (in its record's context) and hands it to the listener with the value it replaced.</summary>
    protected override void Write(DirtyEntry dirty)
    {
        var (key, start, end) = Split(dirty.Key);
        var entry = dirty.Entry;
        var old = _listener is null ? null : Inner.Find(key, end, start).FirstOrDefault(s => s.Start == start && s.End == end).Value;
        if (entry.Value is null && old is null && _listener is not null)
        {
            return;
        }

        Inner.Put(key, start, end, entry.Value);
        _listener?.Invoke(key, start, end, entry.Value, old, entry.Context);
    }
}
