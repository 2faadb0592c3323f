using Tributary.Grains.Streams.Internals;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// A cached change of a store: the new value (null deletes), the value's own time where the store keeps one (window
/// stores), and the context of the record that made it. Immutable: a newer put replaces it.
/// </summary>
internal sealed record CacheEntry(byte[]? Value, long ValueTimestamp, ProcessorRecordContext Context);

/// <summary>A change that a flush writes to the store below (and forwards): the key and its latest entry.</summary>
internal readonly record struct DirtyEntry(byte[] Key, CacheEntry Entry);

/// <summary>
/// One store's part of a thread's record cache (Kafka's <c>NamedCache</c>): entries by key in least-recently-used
/// order, the changed (dirty) ones also in the order of their last change, which is the order a flush writes them.
/// Evicting a dirty entry first flushes every dirty entry, so that the store below sees the changes in order. A cache
/// that serves range reads (window and session stores, whose reads are ranges of one key's windows) also keeps its
/// keys in order, as Kafka's keeps them in a tree.
/// </summary>
internal sealed class NamedCache(string name, Action<long> sizeChanged, bool ordered = false)
{
    /// <summary>What an entry costs beyond its key and value: its links, context and bookkeeping, as Kafka counts it.</summary>
    private const int EntryOverhead = 64;

    private readonly Dictionary<byte[], LinkedListNode<Slot>> _slots = new(ByteArrayComparer.Instance);
    private readonly LinkedList<Slot> _lru = new();
    private readonly LinkedList<byte[]> _dirty = new();
    private readonly SortedSet<byte[]>? _ordered = ordered ? new(ByteArrayComparer.Instance) : null;

    public string Name { get; } = name;

    /// <summary>Writes flushed changes to the store below (and forwards them); set by the store that owns the cache.</summary>
    public Action<IReadOnlyList<DirtyEntry>>? Listener { get; set; }

    public int Count => _slots.Count;

    public bool HasDirty => _dirty.Count > 0;

    public long SizeBytes { get; private set; }

    public CacheEntry? Get(byte[] key)
    {
        if (!_slots.TryGetValue(key, out var node))
        {
            return null;
        }

        _lru.Remove(node);
        _lru.AddLast(node);
        return node.Value.Entry;
    }

    /// <summary>Puts a change: the key's entry, dirty, most recently used.</summary>
    public void Put(byte[] key, CacheEntry entry)
    {
        if (_slots.TryGetValue(key, out var node))
        {
            var slot = node.Value;
            Resize(Size(slot.Key, entry) - Size(slot.Key, slot.Entry));
            slot.Entry = entry;
            if (slot.DirtyNode is not null)
            {
                _dirty.Remove(slot.DirtyNode);
            }

            slot.DirtyNode = _dirty.AddLast(slot.Key);
            _lru.Remove(node);
            _lru.AddLast(node);
            return;
        }

        var added = new Slot(key, entry);
        added.DirtyNode = _dirty.AddLast(key);
        _slots.Add(key, _lru.AddLast(added));
        _ordered?.Add(key);
        Resize(Size(key, entry));
    }

    /// <summary>A snapshot of the entries, for a range read that merges them with the store below.</summary>
    public List<DirtyEntry> Snapshot() => _lru.Select(s => new DirtyEntry(s.Key, s.Entry)).ToList();

    /// <summary>A snapshot of the entries from <paramref name="from"/> to <paramref name="to"/> in key order (an ordered cache only).</summary>
    public List<DirtyEntry> Range(byte[] from, byte[] to)
    {
        if (_ordered is null)
        {
            throw new InvalidOperationException($"Cache {Name} keeps no key order");
        }

        return ByteArrayComparer.Instance.Compare(from, to) > 0
            ? []
            : _ordered.GetViewBetween(from, to).Select(key => new DirtyEntry(key, _slots[key].Value.Entry)).ToList();
    }

    /// <summary>Hands every dirty entry to the listener, oldest change first; deletions then leave the cache (the store below holds them).</summary>
    public void Flush()
    {
        if (_dirty.Count == 0)
        {
            return;
        }

        var entries = new List<DirtyEntry>(_dirty.Count);
        foreach (var key in _dirty)
        {
            var slot = _slots[key].Value;
            slot.DirtyNode = null;
            entries.Add(new DirtyEntry(slot.Key, slot.Entry));
        }

        _dirty.Clear();
        Listener?.Invoke(entries);
        foreach (var entry in entries)
        {
            if (entry.Entry.Value is null && _slots.TryGetValue(entry.Key, out var node) && node.Value.DirtyNode is null && ReferenceEquals(node.Value.Entry, entry.Entry))
            {
                Remove(node);
            }
        }
    }

    /// <summary>Drops the least recently used entry, flushing first if it holds a change; false when there was none it could drop.</summary>
    public bool EvictEldest()
    {
        if (_lru.First is not { } eldest)
        {
            return false;
        }

        if (eldest.Value.DirtyNode is not null)
        {
            Flush();
        }

        // The flush may have removed it already (a deletion), or a listener may have touched it again.
        if (!_slots.TryGetValue(eldest.Value.Key, out var node))
        {
            return true;
        }

        if (node.Value.DirtyNode is not null)
        {
            return false;
        }

        Remove(node);
        return true;
    }

    /// <summary>Drops everything without writing it (a task closed uncleanly: its unflushed changes are not committed either).</summary>
    public void Clear()
    {
        Resize(-SizeBytes);
        _slots.Clear();
        _lru.Clear();
        _dirty.Clear();
        _ordered?.Clear();
    }

    private void Remove(LinkedListNode<Slot> node)
    {
        _slots.Remove(node.Value.Key);
        _ordered?.Remove(node.Value.Key);
        _lru.Remove(node);
        Resize(-Size(node.Value.Key, node.Value.Entry));
    }

    private void Resize(long delta)
    {
        SizeBytes += delta;
        sizeChanged(delta);
    }

    private static long Size(byte[] key, CacheEntry entry) =>
        key.Length + (entry.Value?.Length ?? 0) + EntryOverhead + (entry.Context.Metadata?.Topic.Length ?? 0);

    private sealed class Slot(byte[] key, CacheEntry entry)
    {
        public byte[] Key { get; } = key;

        public CacheEntry Entry { get; set; } = entry;

        public LinkedListNode<byte[]>? DirtyNode { get; set; }
    }
}
