namespace Tributary.Grains.Streams.State;

/// <summary>
/// The bytes of a window store in memory (Kafka's <c>InMemoryWindowStore</c>): per window start, the serialized
/// keys and their values with the timestamp of each. A window whose start falls out of the retention period (behind
/// the latest start seen) is dropped, and a put into one is ignored. When logged, each change goes to the changelog
/// keyed as Kafka keys it: the key, the 8-byte window start, a 4-byte sequence number (0), all big-endian, with the
/// value's timestamp as the record's. One thread at a time.
/// </summary>
internal sealed class InMemoryWindowStore(string name, long retentionMs, long windowSizeMs, bool logged) : IWindowBytesStore
{
    private readonly SortedDictionary<long, Dictionary<byte[], (byte[] Value, long Timestamp)>> _windows = [];
    private StateStoreContext? _context;
    private long _observedStreamTime = long.MinValue;

    public string Name { get; } = name;

    public bool Persistent => false;

    public bool IsOpen { get; private set; }

    public long WindowSizeMs { get; } = windowSizeMs;

    public void Init(StateStoreContext context)
    {
        _context = context;
        IsOpen = true;
        context.Register(this, Restore);
    }

    public void Put(byte[] key, byte[]? value, long windowStart, long timestamp)
    {
        if (!Apply(key, value, windowStart, timestamp))
        {
            return;
        }

        if (logged)
        {
            _context!.LogChange(Name, WindowKeys.WindowChangelogKey(key, windowStart), value, timestamp);
        }
    }

    public (byte[] Value, long Timestamp)? Fetch(byte[] key, long windowStart) =>
        _windows.TryGetValue(windowStart, out var window) && window.TryGetValue(key, out var entry) ? entry : null;

    /// <summary>The windows of a key whose start lies from <paramref name="from"/> to <paramref name="to"/>, earliest first.</summary>
    public IEnumerable<(long Start, byte[] Value, long Timestamp)> Fetch(byte[] key, long from, long to)
    {
        var found = new List<(long, byte[], long)>();
        foreach (var (start, window) in _windows)
        {
            if (start > to)
            {
                break;
            }

            if (start >= from && window.TryGetValue(key, out var entry))
            {
                found.Add((start, entry.Value, entry.Timestamp));
            }
        }

        return found;
    }

    /// <summary>Every window from <paramref name="from"/> to <paramref name="to"/>, by start, then key bytes.</summary>
    public IEnumerable<(byte[] Key, long Start, byte[] Value, long Timestamp)> FetchAll(long from, long to)
    {
        var found = new List<(byte[], long, byte[], long)>();
        foreach (var (start, window) in _windows)
        {
            if (start > to)
            {
                break;
            }

            if (start >= from)
            {
                found.AddRange(window.OrderBy(e => e.Key, ByteArrayComparer.Instance).Select(e => (e.Key, start, e.Value.Value, e.Value.Timestamp)));
            }
        }

        return found;
    }

    public void Flush()
    {
    }

    public void Close()
    {
        _windows.Clear();
        IsOpen = false;
    }

    private void Restore(byte[] changelogKey, byte[]? value, long timestamp)
    {
        var (key, start) = WindowKeys.ParseWindowChangelogKey(Name, changelogKey);
        Apply(key, value, start, timestamp);
    }

    /// <summary>Changes the store; false when the window has expired.</summary>
    private bool Apply(byte[] key, byte[]? value, long windowStart, long timestamp)
    {
        _observedStreamTime = Math.Max(_observedStreamTime, windowStart);
        if (windowStart <= _observedStreamTime - retentionMs)
        {
            return false;
        }

        if (value is null)
        {
            if (_windows.TryGetValue(windowStart, out var window) && window.Remove(key) && window.Count == 0)
            {
                _windows.Remove(windowStart);
            }
        }
        else
        {
            if (!_windows.TryGetValue(windowStart, out var window))
            {
                window = new Dictionary<byte[], (byte[], long)>(ByteArrayComparer.Instance);
                _windows.Add(windowStart, window);
            }

            window[key] = (value, timestamp);
        }

        while (_windows.Count > 0 && _windows.First().Key <= _observedStreamTime - retentionMs)
        {
            _windows.Remove(_windows.First().Key);
        }

        return true;
    }
}
