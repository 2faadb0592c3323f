using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// A small thread-safe least-recently-used map from an input schema to the schema a transform derived from it (Kafka's
/// <c>SynchronizedCache(LRUCache(16))</c>). Deriving a schema is cheap but allocates; records of a topic share a handful
/// of schemas, so a few entries spare that work on almost every record and keep derived schemas reference-equal.
/// </summary>
public sealed class SchemaCache(int capacity = 16)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Schema, LinkedListNode<(Schema Key, Schema Value)>> _entries = [];
    private readonly LinkedList<(Schema Key, Schema Value)> _order = new();

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

    public Schema? Get(Schema key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Value;
        }
    }

    public void Put(Schema key, Schema value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                _order.Remove(existing);
            }

            var node = _order.AddFirst((key, value));
            _entries[key] = node;
            if (_entries.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
        }
    }

    /// <summary>The cached schema for <paramref name="key"/>, derived with <paramref name="derive"/> and cached when missing.</summary>
    public Schema GetOrAdd(Schema key, Func<Schema, Schema> derive)
    {
        var cached = Get(key);
        if (cached is not null)
        {
            return cached;
        }

        // Derived outside the lock: two threads may derive the same schema once each, which is harmless.
        var derived = derive(key);
        Put(key, derived);
        return derived;
    }
}
