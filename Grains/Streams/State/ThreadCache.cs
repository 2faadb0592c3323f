namespace Tributary.Grains.Streams.State;

/// <summary>
/// The record cache of one stream thread (Kafka's <c>ThreadCache</c>), shared by the cached stores of all its tasks
/// within <c>statestore.cache.max.bytes</c> divided among the threads. Each store has its named part; a put that takes
/// the whole cache over its size evicts the least recently used entries of the store it went to, flushing that
/// store's changes first. Used by its thread alone (and by queries holding the thread's lock).
/// </summary>
public sealed class ThreadCache
{
    private readonly Dictionary<string, NamedCache> _caches = [];

    public ThreadCache(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        MaxBytes = maxBytes;
    }

    public long MaxBytes { get; }

    public long SizeBytes { get; private set; }

    /// <param name="ordered">whether the store reads ranges of its cache, which then keeps its keys in order</param>
    internal NamedCache Open(string name, Action<IReadOnlyList<DirtyEntry>> listener, bool ordered = false)
    {
        // A part left by a store that was not closed holds nothing committed: it goes, and the store starts afresh.
        if (_caches.Remove(name, out var left))
        {
            left.Clear();
        }

        var cache = new NamedCache(name, delta => SizeBytes += delta, ordered) { Listener = listener };
        _caches.Add(name, cache);
        return cache;
    }

    /// <summary>Puts a change, then evicts from the same store while the cache is over its size.</summary>
    internal void Put(NamedCache cache, byte[] key, CacheEntry entry)
    {
        cache.Put(key, entry);
        while (SizeBytes > MaxBytes && cache.Count > 0)
        {
            // A put made by the eviction's flush (in a store downstream) may leave nothing of this one to evict.
            if (!cache.EvictEldest())
            {
                return;
            }
        }
    }

    /// <summary>Drops a store's part of the cache, without writing what it holds.</summary>
    internal void Close(NamedCache cache)
    {
        cache.Clear();
        _caches.Remove(cache.Name);
    }
}
