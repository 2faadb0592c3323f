using System.Buffers.Binary;
using System.Globalization;
using RocksDbSharp;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// The time segments of a persistent window or session store (Kafka's <c>KeyValueSegments</c>): its records cut by
/// time into spans of <see cref="IntervalMs"/> (half the retention period, at least a minute, as Kafka's), each a
/// RocksDB database of its own in <c>&lt;directory&gt;/&lt;store&gt;.&lt;segment start&gt;</c>. Once the whole span of
/// a segment has fallen out of the retention period behind the latest time seen, the segment is dropped with its
/// files, so that expiry costs no per-record deletes. Times are not negative, as Kafka's window and session times.
/// </summary>
internal sealed class RocksDbSegments(string storeName, long retentionMs) : IDisposable
{
    /// <summary>Where a segment keeps the latest time its store had seen at its last flush: the empty key, which no record has.</summary>
    private static readonly byte[] ObservedTimeKey = [];

    private readonly SortedDictionary<long, RocksDb> _segments = [];
    private string? _directory;

    public long IntervalMs { get; } = Math.Max(retentionMs / 2, 60_000);

    /// <summary>The latest time put into the store (a window's start, a session's end): what retention counts back from.</summary>
    public long ObservedStreamTime { get; private set; } = long.MinValue;

    /// <summary>How the segments are written; made when the store opens.</summary>
    public WriteOptions WriteOptions { get; private set; } = null!;

    /// <summary>Opens the segments already in <paramref name="directory"/>, and the latest time they had seen.</summary>
    public void Open(string directory)
    {
        _directory = directory;
        WriteOptions = RocksDbFiles.WithoutWal();
        Directory.CreateDirectory(directory);
        var prefix = storeName + ".";
        foreach (var path in Directory.GetDirectories(directory))
        {
            var file = Path.GetFileName(path);
            if (file.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(file.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var segmentStart))
            {
                var db = RocksDbFiles.Open(path);
                _segments[segmentStart / IntervalMs] = db;
                if (db.Get(ObservedTimeKey) is { Length: 8 } observed)
                {
                    ObservedStreamTime = Math.Max(ObservedStreamTime, BinaryPrimitives.ReadInt64BigEndian(observed));
                }
            }
        }

        DropExpired();
    }

    /// <summary>The earliest time still in the retention period.</summary>
    public long EarliestLive => ObservedStreamTime == long.MinValue ? long.MinValue : ObservedStreamTime - retentionMs + 1;

    /// <summary>Whether a time lies out of the retention period.</summary>
    public bool Expired(long time) => time <= ObservedStreamTime - retentionMs;

    /// <summary>
    /// Takes <paramref name="time"/> as seen, then answers the segment that holds it (made if new), or null when
    /// the time is out of the retention period; segments that expired meanwhile are dropped.
    /// </summary>
    public RocksDb? ForWrite(long time)
    {
        if (time < 0)
        {
            throw new StreamsException($"Store {storeName} keeps no negative times: got {time}");
        }

        ObservedStreamTime = Math.Max(ObservedStreamTime, time);
        if (Expired(time))
        {
            return null;
        }

        var id = time / IntervalMs;
        if (!_segments.TryGetValue(id, out var db))
        {
            db = RocksDbFiles.Open(SegmentPath(id));
            _segments.Add(id, db);
        }

        DropExpired();
        return db;
    }

    /// <summary>The segment that holds <paramref name="time"/>, if there is one.</summary>
    public RocksDb? Find(long time) => time >= 0 && _segments.TryGetValue(time / IntervalMs, out var db) ? db : null;

    /// <summary>The segments that hold times from <paramref name="from"/> to <paramref name="to"/>, earliest first.</summary>
    public IEnumerable<RocksDb> Between(long from, long to)
    {
        var (first, last) = (Math.Max(from, 0) / IntervalMs, to < 0 ? -1 : to / IntervalMs);
        return _segments.Where(s => s.Key >= first && s.Key <= last).Select(s => s.Value).ToList();
    }

    /// <summary>
    /// The entries of one key, stored as the key followed by <paramref name="suffixLength"/> bytes, from
    /// <paramref name="lower"/> to <paramref name="upper"/> in each segment that holds times from <paramref name="from"/>
    /// to <paramref name="to"/>, segment by segment. Longer keys that begin with this one sort among its entries: only
    /// the key's own are returned.
    /// </summary>
    public List<(byte[] StoreKey, byte[] Value)> ScanKey(byte[] key, int suffixLength, byte[] lower, byte[] upper, long from, long to)
    {
        var found = new List<(byte[], byte[])>();
        foreach (var segment in Between(from, to))
        {
            using var iterator = segment.NewIterator();
            for (iterator.Seek(lower); iterator.Valid(); iterator.Next())
            {
                var stored = iterator.Key();
                if (ByteArrayComparer.Instance.Compare(stored, upper) > 0)
                {
                    break;
                }

                if (stored.Length == key.Length + suffixLength && stored.AsSpan(0, key.Length).SequenceEqual(key))
                {
                    found.Add((stored, iterator.Value()));
                }
            }
        }

        return found;
    }

    /// <summary>Writes the latest time seen into the newest segment, then flushes every segment to its files.</summary>
    public void Flush()
    {
        if (_segments.Count == 0)
        {
            return;
        }

        var observed = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(observed, ObservedStreamTime);
        _segments.Last().Value.Put(ObservedTimeKey, observed, null, WriteOptions);
        foreach (var db in _segments.Values)
        {
            RocksDbFiles.Flush(db);
        }
    }

    public void Dispose()
    {
        foreach (var db in _segments.Values)
        {
            db.Dispose();
        }

        _segments.Clear();
        _directory = null;
    }

    private string SegmentPath(long id) => Path.Combine(Root, $"{storeName}.{(id * IntervalMs).ToString(CultureInfo.InvariantCulture)}");

    private string Root => _directory ?? throw new InvalidStateStoreException($"Store {storeName} is not open");

    private void DropExpired()
    {
        // A segment goes when the last time it could hold has expired.
        while (_segments.Count > 0 && Expired((_segments.First().Key + 1) * IntervalMs - 1))
        {
            var (id, db) = _segments.First();
            db.Dispose();
            _segments.Remove(id);
            Directory.Delete(SegmentPath(id), recursive: true);
        }
    }
}
