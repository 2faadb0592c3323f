namespace Tributary.Grains.Streams.State;

/// <summary>
/// The bytes of a session store in memory (Kafka's <c>InMemorySessionStore</c>): per serialized key, its sessions
/// by (end, start). Sessions that ended before the retention period (behind the latest end seen) are dropped. When
/// logged, each change goes to the changelog keyed as Kafka keys it: the key, the 8-byte end, the 8-byte start,
/// big-endian, with the session's end as the record's timestamp. One thread at a time.
/// </summary>
internal sealed class InMemorySessionStore(string name, long retentionMs, bool logged) : ISessionBytesStore
{
    private readonly Dictionary<byte[], SortedDictionary<(long End, long Start), byte[]>> _sessions = new(ByteArrayComparer.Instance);

    // Every session by end, so that expiry touches only the sessions that expire.
    private readonly SortedSet<(long End, long Start, byte[] Key)> _byEnd = new(Comparer<(long End, long Start, byte[] Key)>.Create(
        (a, b) => a.End != b.End ? a.End.CompareTo(b.End) : a.Start != b.Start ? a.Start.CompareTo(b.Start) : ByteArrayComparer.Instance.Compare(a.Key, b.Key)));
    private StateStoreContext? _context;
    private long _observedStreamTime = long.MinValue;

    public string Name { get; } = name;

    public bool Persistent => false;

    public bool IsOpen { get; private set; }

    public void Init(StateStoreContext context)
    {
        _context = context;
        IsOpen = true;
        context.Register(this, Restore);
    }

    /// <summary>Puts or, with a null value, removes the session of a key.</summary>
    public void Put(byte[] key, long start, long end, byte[]? value)
    {
        if (!Apply(key, start, end, value))
        {
            return;
        }

        if (logged)
        {
            _context!.LogChange(Name, WindowKeys.SessionChangelogKey(key, start, end), value, end);
        }
    }

    /// <summary>The sessions of a key that end at or after <paramref name="earliestEnd"/> and start at or before <paramref name="latestStart"/>.</summary>
    public IEnumerable<(long Start, long End, byte[] Value)> Find(byte[] key, long earliestEnd, long latestStart) =>
        _sessions.TryGetValue(key, out var sessions)
            ? sessions.Where(s => s.Key.End >= earliestEnd && s.Key.Start <= latestStart).Select(s => (s.Key.Start, s.Key.End, s.Value)).ToList()
            : [];

    /// <summary>Every session, by key bytes, then end.</summary>
    public IEnumerable<(byte[] Key, long Start, long End, byte[] Value)> All() =>
        _sessions.OrderBy(k => k.Key, ByteArrayComparer.Instance)
            .SelectMany(k => k.Value.Select(s => (k.Key, s.Key.Start, s.Key.End, s.Value)))
            .ToList();

    public void Flush()
    {
    }

    public void Close()
    {
        _sessions.Clear();
        _byEnd.Clear();
        IsOpen = false;
    }

    private void Restore(byte[] changelogKey, byte[]? value, long timestamp)
    {
        var (key, start, end) = WindowKeys.ParseSessionChangelogKey(Name, changelogKey);
        Apply(key, start, end, value);
    }

    private bool Apply(byte[] key, long start, long end, byte[]? value)
    {
        _observedStreamTime = Math.Max(_observedStreamTime, end);
        if (end <= _observedStreamTime - retentionMs)
        {
            return false;
        }

        if (value is null)
        {
            Remove(key, start, end);
        }
        else
        {
            if (!_sessions.TryGetValue(key, out var sessions))
            {
                sessions = [];
                _sessions.Add(key, sessions);
            }

            sessions[(end, start)] = value;
            _byEnd.Add((end, start, key));
        }

        while (_byEnd.Count > 0 && _byEnd.Min.End <= _observedStreamTime - retentionMs)
        {
            var expired = _byEnd.Min;
            Remove(expired.Key, expired.Start, expired.End);
        }

        return true;
    }

    private void Remove(byte[] key, long start, long end)
    {
        _byEnd.Remove((end, start, key));
        if (_sessions.TryGetValue(key, out var sessions) && sessions.Remove((end, start)) && sessions.Count == 0)
        {
            _sessions.Remove(key);
        }
    }
}
