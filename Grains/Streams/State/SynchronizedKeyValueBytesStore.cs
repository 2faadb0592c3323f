namespace Tributary.Grains.Streams.State;

/// <summary>
/// A byte store that one thread writes while others read: a global store, updated by the global thread and read by
/// every stream thread's tasks. Each call holds the store's lock; scans return a copy taken under it.
/// </summary>
internal sealed class SynchronizedKeyValueBytesStore(IKeyValueBytesStore inner) : IKeyValueBytesStore
{
    private readonly Lock _gate = new();

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return inner.IsOpen;
            }
        }
    }

    public long ApproximateNumEntries
    {
        get
        {
            lock (_gate)
            {
                return inner.ApproximateNumEntries;
            }
        }
    }

    public void Init(StateStoreContext context)
    {
        // A global store is filled by its processor from its topic, never from a changelog: no restore goes around the lock.
        lock (_gate)
        {
            inner.Init(context);
        }
    }

    public byte[]? Get(byte[] key)
    {
        lock (_gate)
        {
            return inner.Get(key);
        }
    }

    public void Put(byte[] key, byte[]? value)
    {
        lock (_gate)
        {
            inner.Put(key, value);
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[] from, byte[] to)
    {
        lock (_gate)
        {
            return [.. inner.Range(from, to)];
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> All()
    {
        lock (_gate)
        {
            return [.. inner.All()];
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            inner.Flush();
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            inner.Close();
        }
    }
}
