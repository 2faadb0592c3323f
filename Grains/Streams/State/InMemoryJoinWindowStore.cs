using System.Buffers.Binary;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// One side of a stream-stream join in memory (see <see cref="IJoinWindowStore"/>): per serialized key, its records
/// by timestamp and sequence number.
/// </summary>
internal sealed class InMemoryJoinWindowStore(string name, long retentionMs, bool logged) : IJoinWindowStore
{
    private readonly Dictionary<byte[], SortedDictionary<(long Timestamp, int Sequence), byte[]>> _records = new(ByteArrayComparer.Instance);
    private readonly SortedSet<(long Timestamp, int Sequence, byte[] Key)> _byTime = new(Comparer<(long Timestamp, int Sequence, byte[] Key)>.Create(
        (a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.Sequence != b.Sequence ? a.Sequence.CompareTo(b.Sequence) : ByteArrayComparer.Instance.Compare(a.Key, b.Key)));

    private StateStoreContext? _context;
    private long _observedStreamTime = long.MinValue;
    private int _sequence;

    public string Name { get; } = name;

    public bool Persistent => false;

    public bool IsOpen { get; private set; }

    public void Init(StateStoreContext context)
    {
        _context = context;
        IsOpen = true;
        context.Register(this, Restore);
    }

    public void Put(byte[] key, byte[] value, long timestamp)
    {
        // Not negative: the persistent kind's range reads take the changelog's sequence numbers as they sort unsigned.
        var sequence = _sequence = (_sequence + 1) & int.MaxValue;
        if (Apply(key, value, timestamp, sequence) && logged)
        {
            _context!.LogChange(Name, RocksDbJoinWindowStore.StoreKey(key, timestamp, sequence), value, timestamp);
        }
    }

    /// <summary>The records of a key from <paramref name="from"/> to <paramref name="to"/>, in time order.</summary>
    public IReadOnlyList<(long Timestamp, byte[] Value)> Fetch(byte[] key, long from, long to) =>
        _records.TryGetValue(key, out var records)
            ? records.Where(r => r.Key.Timestamp >= from && r.Key.Timestamp <= to).Select(r => (r.Key.Timestamp, r.Value)).ToList()
            : [];

    public void Flush()
    {
    }

    public void Close()
    {
        _records.Clear();
        _byTime.Clear();
        IsOpen = false;
    }

    private void Restore(byte[] changelogKey, byte[]? value, long timestamp)
    {
        var keyLength = changelogKey.Length - 12;
        if (keyLength < 0 || value is null)
        {
            return;
        }

        var sequence = BinaryPrimitives.ReadInt32BigEndian(changelogKey.AsSpan(keyLength + 8));
        _sequence = Math.Max(_sequence, sequence);
        Apply(changelogKey[..keyLength], value, BinaryPrimitives.ReadInt64BigEndian(changelogKey.AsSpan(keyLength)), sequence);
    }

    private bool Apply(byte[] key, byte[] value, long timestamp, int sequence)
    {
        _observedStreamTime = Math.Max(_observedStreamTime, timestamp);
        if (timestamp <= _observedStreamTime - retentionMs)
        {
            return false;
        }

        if (!_records.TryGetValue(key, out var records))
        {
            records = [];
            _records.Add(key, records);
        }

        records[(timestamp, sequence)] = value;
        _byTime.Add((timestamp, sequence, key));
        while (_byTime.Count > 0 && _byTime.Min.Timestamp <= _observedStreamTime - retentionMs)
        {
            var expired = _byTime.Min;
            _byTime.Remove(expired);
            if (_records.TryGetValue(expired.Key, out var keyRecords) && keyRecords.Remove((expired.Timestamp, expired.Sequence)) && keyRecords.Count == 0)
            {
                _records.Remove(expired.Key);
            }
        }

        return true;
    }
}
