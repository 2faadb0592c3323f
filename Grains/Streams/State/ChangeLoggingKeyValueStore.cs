using System.Buffers.Binary;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// Writes every change of the store below it to the store's changelog topic (Kafka's
/// <c>ChangeLoggingKeyValueBytesStore</c>), so that another instance can rebuild the store from the topic. Under a
/// timestamped store (values preceded by their 8-byte timestamp) the changelog holds the plain value with that
/// timestamp as the record's, as Kafka's <c>ChangeLoggingTimestampedKeyValueBytesStore</c> writes it, and a restore
/// puts the timestamp back in front.
/// </summary>
internal sealed class ChangeLoggingKeyValueStore(IKeyValueBytesStore inner, bool timestamped = false) : IKeyValueBytesStore
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
        if (timestamped)
        {
            // In place of the restore the store below registered: the record's timestamp goes back in front of the value.
            context.Register(this, (key, value, timestamp) => inner.Put(key, value is null ? null : Stamped(value, timestamp)));
        }
    }

    public byte[]? Get(byte[] key) => inner.Get(key);

    public void Put(byte[] key, byte[]? value)
    {
        inner.Put(key, value);
        if (timestamped && value is { Length: >= 8 })
        {
            _context!.LogChange(Name, key, value[8..], BinaryPrimitives.ReadInt64BigEndian(value));
        }
        else
        {
            _context!.LogChange(Name, key, value);
        }
    }

    private static byte[] Stamped(byte[] value, long timestamp)
    {
        var bytes = new byte[value.Length + 8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp);
        value.CopyTo(bytes, 8);
        return bytes;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[] from, byte[] to) => inner.Range(from, to);

    public IEnumerable<KeyValuePair<byte[], byte[]>> All() => inner.All();

    public void Flush() => inner.Flush();

    public void Close() => inner.Close();
}
