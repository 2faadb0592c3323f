namespace Tributary.Grains.Streams.State;

/// <summary>
/// Writes every change of the store below it to the store's changelog topic (Kafka's
/// <c>ChangeLoggingKeyValueBytesStore</c>), so that another instance can rebuild the store from the topic.
/// </summary>
internal sealed class ChangeLoggingKeyValueStore(IKeyValueBytesStore inner) : IKeyValueBytesStore
{
    private StateStoreContext? _context;

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsOpen => inner.IsOpen;

    public long ApproximateNumEntries => inner.ApproximateNumEntries;

    public void Init(StateStoreContext context)
    {
        _context = context;
        inner.Init(context);
    }

    public byte[]? Get(byte[] key) => inner.Get(key);

    public void Put(byte[] key, byte[]? value)
    {
        inner.Put(key, value);
        _context!.LogChange(Name, key, value);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[] from, byte[] to) => inner.Range(from, to);

    public IEnumerable<KeyValuePair<byte[], byte[]>> All() => inner.All();

    public void Flush() => inner.Flush();

    public void Close() => inner.Close();
}
