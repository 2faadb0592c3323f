namespace Tributary.Grains.Streams.State;

/// <summary>
/// A key-value byte store in memory, ordered by key (Kafka's <c>InMemoryKeyValueStore</c>). Not persistent: its
/// contents come back from the changelog topic when a task starts. One thread at a time; iterators see a snapshot.
/// </summary>
public sealed class InMemoryKeyValueStore(string name) : IKeyValueBytesStore
{
    private readonly SortedDictionary<byte[], byte[]> _entries = new(ByteArrayComparer.Instance);

    public string Name { get; } = name;

    public bool Persistent => false;

    public bool IsOpen { get; private set; }

    public long ApproximateNumEntries => _entries.Count;

    public void Init(StateStoreContext context)
    {
        IsOpen = true;
        context.Register(this, Restore);
    }

    public byte[]? Get(byte[] key) => _entries.GetValueOrDefault(key);

    public void Put(byte[] key, byte[]? value)
    {
        if (value is null)
        {
            _entries.Remove(key);
        }
        else
        {
            _entries[key] = value;
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[] from, byte[] to)
    {
        var comparer = ByteArrayComparer.Instance;
        if (comparer.Compare(from, to) > 0)
        {
            return [];
        }

        // A snapshot, so that a processor may write while it iterates.
        return _entries.Where(e => comparer.Compare(e.Key, from) >= 0 && comparer.Compare(e.Key, to) <= 0).ToList();
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> All() => _entries.ToList();

    public void Flush()
    {
    }

    public void Close()
    {
        _entries.Clear();
        IsOpen = false;
    }

    private void Restore(byte[] key, byte[]? value, long timestamp) => Put(key, value);
}

/// <summary>Supplies <see cref="InMemoryKeyValueStore"/>s.</summary>
public sealed class InMemoryKeyValueBytesStoreSupplier(string name) : IKeyValueBytesStoreSupplier
{
    public string Name { get; } = name;

    public IKeyValueBytesStore Get() => new InMemoryKeyValueStore(Name);
}
