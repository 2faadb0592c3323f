using System.Buffers.Binary;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// One side of a stream-stream join on local disk (Kafka's RocksDB window store with <c>retainDuplicates</c>): time
/// segments by record time, each keyed as the changelog is, by the serialized key, the 8-byte timestamp and a 4-byte
/// sequence number, so that a key's records in a time range are one range scan. One thread at a time.
/// </summary>
internal sealed class RocksDbJoinWindowStore(string name, long retentionMs, bool logged) : IJoinWindowStore
{
    private readonly RocksDbSegments _segments = new(name, retentionMs);
    private StateStoreContext? _context;

    // Tells apart the records of one key at one time. It starts anywhere, not at 0: the records kept on disk from
    // before a restart were numbered by another run, and a number taken again would overwrite one.
    private int _sequence = Random.Shared.Next();

    public string Name { get; } = name;

    public bool Persistent => true;

    public bool IsOpen { get; private set; }

    public void Init(StateStoreContext context)
    {
        _context = context;
        _segments.Open(RocksDbKeyValueStore.DirectoryOf(context.StateDirectory, Name));
        IsOpen = true;
        context.Register(this, Restore);
    }

    public void Put(byte[] key, byte[] value, long timestamp)
    {
        _sequence = (_sequence + 1) & int.MaxValue;
        var storeKey = StoreKey(key, timestamp, _sequence);
        if (_segments.ForWrite(timestamp) is { } segment)
        {
            segment.Put(storeKey, value, null, _segments.WriteOptions);
            if (logged)
            {
                _context!.LogChange(Name, storeKey, value, timestamp);
            }
        }
    }

    public IReadOnlyList<(long Timestamp, byte[] Value)> Fetch(byte[] key, long from, long to)
    {
        from = Math.Max(Math.Max(from, 0), _segments.EarliestLive);
        if (from > to)
        {
            return [];
        }

        var found = new List<(long Timestamp, byte[] Value)>();
        foreach (var (stored, value) in _segments.ScanKey(key, 12, StoreKey(key, from, 0), StoreKey(key, to, int.MaxValue), from, to))
        {
            found.Add((BinaryPrimitives.ReadInt64BigEndian(stored.AsSpan(key.Length)), value));
        }

        return found;
    }

    public void Flush() => _segments.Flush();

    public void Close()
    {
        _segments.Dispose();
        IsOpen = false;
    }

    internal static byte[] StoreKey(byte[] key, long timestamp, int sequence)
    {
        var bytes = new byte[key.Length + 12];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), timestamp);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(key.Length + 8), sequence);
        return bytes;
    }

    private void Restore(byte[] changelogKey, byte[]? value, long timestamp)
    {
        if (changelogKey.Length < 12 || value is null)
        {
            return;
        }

        var time = BinaryPrimitives.ReadInt64BigEndian(changelogKey.AsSpan(changelogKey.Length - 12));
        _segments.ForWrite(time)?.Put(changelogKey, value, null, _segments.WriteOptions);
    }
}
