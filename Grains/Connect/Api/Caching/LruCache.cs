namespace Tributary.Grains.Connect.Api.Caching;

/// <summary>
/// A bounded, thread-safe least-recently-used cache, the shape of the caches Kafka's and Confluent's plug-ins size with
/// <c>schemas.cache.size</c>/<c>schemas.cache.config</c> (and Kafka's <c>SynchronizedCache(LRUCache)</c>), so that
/// each distinct schema is converted, registered or derived once rather than per record. A capacity of 0 caches
/// nothing, as Kafka's <c>LRUCache(0)</c>.
/// </summary>
public sealed class LruCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    public void Put(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.Remove(key, out var existing))
            {
                _order.Remove(existing);
            }

            _entries[key] = _order.AddFirst((key, value));
            while (_entries.Count > Math.Max(capacity, 0))
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
        }
    }

    /// <summary>The cached value, or <paramref name="create"/>'s, which is then cached; two racing callers may both create.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        value = create(key);
        Put(key, value);
        return value;
    }
}
