using System.Buffers.Binary;
using RocksDbSharp;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// A window byte store on local disk (Kafka's <c>RocksDBWindowStore</c>): time segments by window start, each keyed
/// by the serialized key and the 8-byte big-endian window start, so that the windows of one key are one range scan;
/// each value is the 8-byte time of the latest record in it, then the value. Changes go to the changelog keyed as the
/// in-memory window store keys them, so either restores from the other's changelog. One thread at a time.
/// </summary>
internal sealed class RocksDbWindowStore(string name, long retentionMs, long windowSizeMs, bool logged) : IWindowBytesStore
{
    private readonly RocksDbSegments _segments = new(name, retentionMs);
    private StateStoreContext? _context;

    public string Name { get; } = name;

    public bool Persistent => true;

    public bool IsOpen { get; private set; }

    public long WindowSizeMs { get; } = windowSizeMs;

    public void Init(StateStoreContext context)
    {
        _context = context;
        _segments.Open(RocksDbKeyValueStore.DirectoryOf(context.StateDirectory, Name));
        IsOpen = true;
        context.Register(this, Restore);
    }

    public void Put(byte[] key, byte[]? value, long windowStart, long timestamp)
    {
        if (Apply(key, value, windowStart, timestamp) && logged)
        {
            _context!.LogChange(Name, WindowKeys.WindowChangelogKey(key, windowStart), value, timestamp);
        }
    }

    public (byte[] Value, long Timestamp)? Fetch(byte[] key, long windowStart) =>
        !_segments.Expired(windowStart) && _segments.Find(windowStart)?.Get(StoreKey(key, windowStart)) is { } stored ? Decode(stored) : null;

    public IEnumerable<(long Start, byte[] Value, long Timestamp)> Fetch(byte[] key, long from, long to)
    {
        from = Math.Max(Math.Max(from, 0), _segments.EarliestLive);
        var found = new List<(long, byte[], long)>();
        if (from > to)
        {
            return found;
        }

        foreach (var (stored, bytes) in _segments.ScanKey(key, 8, StoreKey(key, from), StoreKey(key, to), from, to))
        {
            var (value, timestamp) = Decode(bytes);
            found.Add((StartOf(stored), value, timestamp));
        }

        return found;
    }

    public IEnumerable<(byte[] Key, long Start, byte[] Value, long Timestamp)> FetchAll(long from, long to)
    {
        from = Math.Max(from, _segments.EarliestLive);
        var found = new List<(byte[] Key, long Start, byte[] Value, long Timestamp)>();
        foreach (var segment in _segments.Between(from, to))
        {
            using var iterator = segment.NewIterator();
            for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
            {
                var stored = iterator.Key();
                if (stored.Length >= 8 && StartOf(stored) is var start && start >= from && start <= to)
                {
                    var (value, timestamp) = Decode(iterator.Value());
                    found.Add((stored.AsSpan(0, stored.Length - 8).ToArray(), start, value, timestamp));
                }
            }
        }

        found.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : ByteArrayComparer.Instance.Compare(a.Key, b.Key));
        return found;
    }

    public void Flush() => _segments.Flush();

    public void Close()
    {
        _segments.Dispose();
        IsOpen = false;
    }

    private static byte[] StoreKey(byte[] key, long windowStart)
    {
        var bytes = new byte[key.Length + 8];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), windowStart);
        return bytes;
    }

    private static long StartOf(byte[] storeKey) => BinaryPrimitives.ReadInt64BigEndian(storeKey.AsSpan(storeKey.Length - 8));

    private static (byte[] Value, long Timestamp) Decode(byte[] stored) =>
        (stored.AsSpan(8).ToArray(), BinaryPrimitives.ReadInt64BigEndian(stored));

    private void Restore(byte[] changelogKey, byte[]? value, long timestamp)
    {
        var (key, start) = WindowKeys.ParseWindowChangelogKey(Name, changelogKey);
        Apply(key, value, start, timestamp);
    }

    /// <summary>Changes the store; false when the window has expired.</summary>
    private bool Apply(byte[] key, byte[]? value, long windowStart, long timestamp)
    {
        if (_segments.ForWrite(windowStart) is not { } segment)
        {
            return false;
        }

        if (value is null)
        {
            segment.Remove(StoreKey(key, windowStart), null, _segments.WriteOptions);
        }
        else
        {
            var stored = new byte[8 + value.Length];
            BinaryPrimitives.WriteInt64BigEndian(stored, timestamp);
            value.CopyTo(stored, 8);
            segment.Put(StoreKey(key, windowStart), stored, null, _segments.WriteOptions);
        }

        return true;
    }
}
