using RocksDbSharp;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// A key-value byte store on local disk in RocksDB (Kafka's <c>RocksDBStore</c>), under
/// <c>&lt;state.dir&gt;/&lt;application.id&gt;/&lt;task&gt;/rocksdb/&lt;store&gt;</c>. As in Kafka the write-ahead log is off:
/// the changelog is the store's log, and a flush at each commit makes what the checkpoint says durable. Keys are
/// ordered bytewise, as the in-memory store orders them. One thread at a time.
/// </summary>
public sealed class RocksDbKeyValueStore(string name) : IKeyValueBytesStore
{
    private RocksDb? _db;
    private WriteOptions? _writeOptions;

    public string Name { get; } = name;

    public bool Persistent => true;

    public bool IsOpen => _db is not null;

    public long ApproximateNumEntries =>
        long.TryParse(Db.GetProperty("rocksdb.estimate-num-keys"), out var keys) ? keys : 0;

    private RocksDb Db => _db ?? throw new InvalidStateStoreException($"Store {Name} is not open");

    /// <summary>Where a task keeps a persistent store, under the task's directory.</summary>
    public static string DirectoryOf(string taskDirectory, string storeName) => Path.Combine(taskDirectory, "rocksdb", storeName);

    public void Init(StateStoreContext context)
    {
        _db = RocksDbFiles.Open(DirectoryOf(context.StateDirectory, Name));
        _writeOptions = RocksDbFiles.WithoutWal();
        context.Register(this, Restore);
    }

    public byte[]? Get(byte[] key) => Db.Get(key);

    public void Put(byte[] key, byte[]? value)
    {
        if (value is null)
        {
            Db.Remove(key, null, _writeOptions);
        }
        else
        {
            Db.Put(key, value, null, _writeOptions);
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[] from, byte[] to) =>
        ByteArrayComparer.Instance.Compare(from, to) > 0 ? [] : Scan(from, to);

    public IEnumerable<KeyValuePair<byte[], byte[]>> All() => Scan(null, null);

    public void Flush()
    {
        if (_db is not null)
        {
            RocksDbFiles.Flush(_db);
        }
    }

    public void Close()
    {
        _db?.Dispose();
        _db = null;
    }

    /// <summary>Keys from <paramref name="from"/> to <paramref name="to"/>, both included; the iterator reads a snapshot, so writes while iterating are safe.</summary>
    private IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[]? from, byte[]? to)
    {
        using var iterator = Db.NewIterator();
        if (from is null)
        {
            iterator.SeekToFirst();
        }
        else
        {
            iterator.Seek(from);
        }

        for (; iterator.Valid(); iterator.Next())
        {
            var key = iterator.Key();
            if (to is not null && ByteArrayComparer.Instance.Compare(key, to) > 0)
            {
                yield break;
            }

            yield return new KeyValuePair<byte[], byte[]>(key, iterator.Value());
        }
    }

    private void Restore(byte[] key, byte[]? value, long timestamp) => Put(key, value);
}

/// <summary>Supplies <see cref="RocksDbKeyValueStore"/>s (Kafka's <c>Stores.persistentKeyValueStore</c>).</summary>
public sealed class RocksDbKeyValueBytesStoreSupplier(string name) : IKeyValueBytesStoreSupplier
{
    public string Name { get; } = name;

    public IKeyValueBytesStore Get() => new RocksDbKeyValueStore(Name);
}
