namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// A bounded, thread-safe least-recently-used cache (Kafka's <c>SynchronizedCache</c> over an <c>LRUCache</c>), so
/// that a converter translates each distinct schema once rather than on every record.
/// </summary>
internal sealed class SchemaCache<TKey, TValue>(int capacity)
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
}
