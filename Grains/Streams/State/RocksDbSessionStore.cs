using System.Buffers.Binary;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// A session byte store on local disk (Kafka's <c>RocksDBSessionStore</c>): time segments by session end, each keyed
/// by the serialized key, the 8-byte end and the 8-byte start (big-endian), so that the sessions of one key are one
/// range scan per segment, by end. Changes go to the changelog keyed as the in-memory session store keys them, with
/// the session's end as the record's time. One thread at a time.
/// </summary>
internal sealed class RocksDbSessionStore(string name, long retentionMs, bool logged) : ISessionBytesStore
{
    private readonly RocksDbSegments _segments = new(name, retentionMs);
    private StateStoreContext? _context;

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

    public void Put(byte[] key, long start, long end, byte[]? value)
    {
        if (Apply(key, start, end, value) && logged)
        {
            _context!.LogChange(Name, WindowKeys.SessionChangelogKey(key, start, end), value, end);
        }
    }

    public IEnumerable<(long Start, long End, byte[] Value)> Find(byte[] key, long earliestEnd, long latestStart)
    {
        earliestEnd = Math.Max(Math.Max(earliestEnd, 0), _segments.EarliestLive);
        var (lower, upper) = (WindowKeys.SessionChangelogKey(key, 0, earliestEnd), WindowKeys.SessionChangelogKey(key, long.MaxValue, long.MaxValue));
        var found = new List<(long, long, byte[])>();
        foreach (var (stored, value) in _segments.ScanKey(key, 16, lower, upper, earliestEnd, long.MaxValue))
        {
            if (Session(stored) is var (start, end) && end >= earliestEnd && start <= latestStart)
            {
                found.Add((start, end, value));
            }
        }

        return found;
    }

    public IEnumerable<(byte[] Key, long Start, long End, byte[] Value)> All()
    {
        var liveFrom = _segments.EarliestLive;
        var found = new List<(byte[] Key, long Start, long End, byte[] Value)>();
        foreach (var segment in _segments.Between(0, long.MaxValue))
        {
            using var iterator = segment.NewIterator();
            for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
            {
                var stored = iterator.Key();
                if (stored.Length >= 16 && Session(stored) is var (start, end) && end >= liveFrom)
                {
                    found.Add((stored.AsSpan(0, stored.Length - 16).ToArray(), start, end, iterator.Value()));
                }
            }
        }

        found.Sort((a, b) =>
        {
            var byKey = ByteArrayComparer.Instance.Compare(a.Key, b.Key);
            return byKey != 0 ? byKey : a.End != b.End ? a.End.CompareTo(b.End) : a.Start.CompareTo(b.Start);
        });
        return found;
    }

    public void Flush() => _segments.Flush();

    public void Close()
    {
        _segments.Dispose();
        IsOpen = false;
    }

    private static (long Start, long End) Session(byte[] storeKey) =>
        (BinaryPrimitives.ReadInt64BigEndian(storeKey.AsSpan(storeKey.Length - 8)), BinaryPrimitives.ReadInt64BigEndian(storeKey.AsSpan(storeKey.Length - 16)));

    private void Restore(byte[] changelogKey, byte[]? value, long timestamp)
    {
        var (key, start, end) = WindowKeys.ParseSessionChangelogKey(Name, changelogKey);
        Apply(key, start, end, value);
    }

    /// <summary>Changes the store; false when the session has expired.</summary>
    private bool Apply(byte[] key, long start, long end, byte[]? value)
    {
        if (_segments.ForWrite(end) is not { } segment)
        {
            return false;
        }

        // The store's key has the changelog's layout: key, end, start.
        var storeKey = WindowKeys.SessionChangelogKey(key, start, end);
        if (value is null)
        {
            segment.Remove(storeKey, null, _segments.WriteOptions);
        }
        else
        {
            segment.Put(storeKey, value, null, _segments.WriteOptions);
        }

        return true;
    }
}
