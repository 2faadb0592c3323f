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

    /// <summary>How many entries the cache holds, across its stores.</summary>
    public long Count => _caches.Values.Sum(c => (long)c.Count);

    /// <param name="ordered">whether the store reads ranges of its cache, which then keeps its keys in order</param>
    internal NamedCache Open(string name, Action<IReadOnlyList<DirtyEntry>> listener, bool ordered = false)
    {
        if (!_caches.TryGetValue(name, out var cache))
        {
            cache = new NamedCache(name, delta => SizeBytes += delta, ordered);
            _caches.Add(name, cache);
        }

        cache.Listener = listener;
        return cache;
    }

    internal CacheEntry? Get(NamedCache cache, byte[] key) => cache.Get(key);

    /// <summary>Puts a change (dirty) or a value read from below (clean), then evicts from the same store while the cache is over its size.</summary>
    internal void Put(NamedCache cache, byte[] key, CacheEntry entry, bool dirty = true)
    {
        cache.Put(key, entry, dirty);
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
