using System.Buffers.Binary;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// Holds a window store's changes in the thread's record cache (Kafka's <c>CachingWindowStore</c>), as
/// <see cref="CachingKeyValueStore"/> does for key-value stores: reads see them at once; the store below and its
/// changelog get each window's latest change at a commit or an eviction, and a flush listener forwards it then.
/// </summary>
internal sealed class CachingWindowStore(IWindowBytesStore inner, long retentionMs) : CachingStore<IWindowBytesStore>(inner, ordered: true), IWindowBytesStore
{

    // The latest window start put, by which cached windows expire as they do below.
    private long _observed = long.MinValue;
    private Action<byte[], long, (byte[]? Value, long Timestamp), byte[]?, Internals.ProcessorRecordContext>? _listener;

    public long WindowSizeMs => Inner.WindowSizeMs;

    /// <summary>
    /// Sets what receives each window's change as it is written below (key, window start, new value and its time,
    /// the value it replaced, the change's record context); false when nothing is cached here.
    /// </summary>
    public bool SetFlushListener(Action<byte[], long, (byte[]? Value, long Timestamp), byte[]?, Internals.ProcessorRecordContext> listener)
    {
        _listener = Caching ? listener : null;
        return Caching;
    }

    public void Put(byte[] key, byte[]? value, long windowStart, long timestamp)
    {
        if (Part.Named is null)
        {
            Inner.Put(key, value, windowStart, timestamp);
            return;
        }

        _observed = Math.Max(_observed, windowStart);
        Part.Put(CacheKey(key, windowStart), value, timestamp);
    }

    /// <summary>Whether a window is within the retention period: one behind it is gone below, or will be at the next flush.</summary>
    private bool Live(long windowStart) => windowStart >= EarliestLive;

    /// <summary>The earliest window start within the retention period of the latest one put.</summary>
    private long EarliestLive => _observed == long.MinValue ? long.MinValue : _observed - retentionMs + 1;

    public (byte[] Value, long Timestamp)? Fetch(byte[] key, long windowStart)
    {
        if (Part.Named?.Get(CacheKey(key, windowStart)) is { } entry)
        {
            return entry.Value is null || !Live(windowStart) ? null : (entry.Value, entry.ValueTimestamp);
        }

        return Inner.Fetch(key, windowStart);
    }

    public IEnumerable<(long Start, byte[] Value, long Timestamp)> Fetch(byte[] key, long from, long to)
    {
        from = Math.Max(from, EarliestLive);
        if (Part.Named is not { Count: > 0 })
        {
            return Inner.Fetch(key, from, to);
        }

        var cached = Cached(from, to, key);
        return Merge(Inner.Fetch(key, from, to).Select(w => (key, w.Start, w.Value, w.Timestamp)), cached).Select(w => (w.Start, w.Value, w.Timestamp));
    }

    /// <summary>Windows from <paramref name="from"/> to <paramref name="to"/>; none behind the retention period, cached or below (which may not know yet).</summary>
    public IEnumerable<(byte[] Key, long Start, byte[] Value, long Timestamp)> FetchAll(long from, long to)
    {
        from = Math.Max(from, EarliestLive);
        return Part.Named is not { Count: > 0 } ? Inner.FetchAll(from, to) : Merge(Inner.FetchAll(from, to), Cached(from, to, key: null));
    }

    private static byte[] CacheKey(byte[] key, long windowStart)
    {
        var bytes = new byte[key.Length + 8];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), windowStart);
        return bytes;
    }

    private static (byte[] Key, long Start) Split(byte[] cacheKey) =>
        (cacheKey[..^8], BinaryPrimitives.ReadInt64BigEndian(cacheKey.AsSpan(cacheKey.Length - 8)));

    /// <summary>The cached windows from <paramref name="from"/> to <paramref name="to"/> (of one key, or all), by start, then key bytes.</summary>
    private List<(byte[] Key, long Start, CacheEntry Entry)> Cached(long from, long to, byte[]? key)
    {
        var cached = new List<(byte[] Key, long Start, CacheEntry Entry)>();
        // One key's windows are one range of the cache (window starts are not negative); every window is all of it.
        var entries = key is null ? Part.Named!.Snapshot() : to < 0 ? [] : Part.Named!.Range(CacheKey(key, Math.Max(from, 0)), CacheKey(key, to));
        foreach (var entry in entries)
        {
            var (entryKey, start) = Split(entry.Key);
            if (start >= from && start <= to && Live(start) && (key is null || ByteArrayComparer.Instance.Equals(entryKey, key)))
            {
                cached.Add((entryKey, start, entry.Entry));
            }
        }

        cached.Sort(static (a, b) => Order(a.Start, a.Key, b.Start, b.Key));
        return cached;
    }

    private static int Order(long startA, byte[] keyA, long startB, byte[] keyB) =>
        startA != startB ? startA.CompareTo(startB) : ByteArrayComparer.Instance.Compare(keyA, keyB);

    /// <summary>The windows below merged with the cached ones in the same order: a cached entry replaces the one below, a cached deletion hides it.</summary>
    private static IEnumerable<(byte[] Key, long Start, byte[] Value, long Timestamp)> Merge(
        IEnumerable<(byte[] Key, long Start, byte[] Value, long Timestamp)> below, List<(byte[] Key, long Start, CacheEntry Entry)> cached)
    {
        var next = 0;
        foreach (var window in below)
        {
            for (; next < cached.Count && Order(cached[next].Start, cached[next].Key, window.Start, window.Key) < 0; next++)
            {
                if (cached[next].Entry.Value is { } value)
                {
                    yield return (cached[next].Key, cached[next].Start, value, cached[next].Entry.ValueTimestamp);
                }
            }

            if (next < cached.Count && Order(cached[next].Start, cached[next].Key, window.Start, window.Key) == 0)
            {
                if (cached[next].Entry.Value is { } value)
                {
                    yield return (window.Key, window.Start, value, cached[next].Entry.ValueTimestamp);
                }

                next++;
                continue;
            }

            yield return window;
        }

        for (; next < cached.Count; next++)
        {
            if (cached[next].Entry.Value is { } value)
            {
                yield return (cached[next].Key, cached[next].Start, value, cached[next].Entry.ValueTimestamp);
            }
        }
    }

    /// <summary>Writes a flushed change below (in its record's context) and hands it to the listener with the value it replaced.</summary>
    protected override void Write(DirtyEntry dirty)
    {
        var (key, start) = Split(dirty.Key);
        var entry = dirty.Entry;
        var old = _listener is null ? null : Inner.Fetch(key, start)?.Value;
        if (entry.Value is null && old is null && _listener is not null)
        {
            return;
        }

        Inner.Put(key, entry.Value, start, entry.ValueTimestamp);
        _listener?.Invoke(key, start, (entry.Value, entry.ValueTimestamp), old, entry.Context);
    }
}
