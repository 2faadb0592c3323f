using System.Buffers.Binary;

namespace Tributary.Grains.Storage.Index;

/// <summary>
/// The time index of one segment: from a timestamp to the first offset at which the segment's largest timestamp
/// reached it.
/// <para>On disk (<c>.timeindex</c>): 12-byte big-endian entries <c>(int64 timestamp, int32 offset - baseOffset)</c>,
/// timestamps strictly increasing. An entry (t, o) says: the largest timestamp among records up to offset o is t,
/// and o is the first record with it. Entries are added at the offset index's interval, only when the largest
/// timestamp grew.</para>
/// <para>Held in memory while the segment is open and persisted with the offset index; the same crash rules
/// apply. Thread-safety as <see cref="OffsetIndex"/>.</para>
/// </summary>
internal sealed class TimeIndex
{
    public const int EntrySize = 12;

    private readonly string _path;
    private readonly long _baseOffset;
    private readonly int _maxEntries;
    private long[] _timestamps = [];
    private int[] _offsets = [];
    private int _count;
    private int _persistedCount;
    private bool _fileNeedsTruncation;

    public TimeIndex(string path, long baseOffset, int maxIndexBytes)
    {
        _path = path;
        _baseOffset = baseOffset;
        _maxEntries = Math.Max(1, maxIndexBytes / EntrySize);
    }

    public int Count => Volatile.Read(ref _count);

    public bool IsFull => Count >= _maxEntries;

    /// <summary>The last entry, or null when the index is empty.</summary>
    public (long Timestamp, long Offset)? LastEntry
    {
        get
        {
            var count = Count;
            return count == 0 ? null : Entry(count - 1);
        }
    }

    /// <summary>The entry with the largest timestamp not above <paramref name="timestamp"/>, or null.</summary>
    public (long Timestamp, long Offset)? Lookup(long timestamp)
    {
        var timestamps = Volatile.Read(ref _timestamps);
        var count = Math.Min(Count, timestamps.Length);
        int low = 0, high = count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (timestamps[mid] <= timestamp)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found < 0 ? null : Entry(found);
    }

    /// <summary>Adds (timestamp, offset) when the timestamp is larger than the last entry's; ignores it otherwise.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (_count > 0 && timestamp <= _timestamps[_count - 1])
        {
            return;
        }

        if (_count == _timestamps.Length)
        {
            var size = Math.Max(64, _timestamps.Length * 2);
            var timestamps = new long[size];
            var offsets = new int[size];
            _timestamps.AsSpan(0, _count).CopyTo(timestamps);
            _offsets.AsSpan(0, _count).CopyTo(offsets);
            Volatile.Write(ref _offsets, offsets);
            Volatile.Write(ref _timestamps, timestamps);
        }

        _offsets[_count] = checked((int)(offset - _baseOffset));
        _timestamps[_count] = timestamp;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Drops every entry of offsets at or above <paramref name="offset"/>.</summary>
    public void TruncateToOffset(long offset)
    {
        var keep = _count;
        while (keep > 0 && _baseOffset + _offsets[keep - 1] >= offset)
        {
            keep--;
        }

        SetCount(keep);
    }

    public void Clear() => SetCount(0);

    /// <summary>
    /// Loads the file. Returns false (and holds no entries) when it is missing or fails the sanity check: a size
    /// that is not a whole number of entries, timestamps that do not increase, or an offset outside
    /// [baseOffset, <paramref name="nextOffset"/>).
    /// </summary>
    public bool TryLoad(long nextOffset)
    {
        Clear();
        _persistedCount = 0;
        if (!File.Exists(_path))
        {
            return false;
        }

        var bytes = File.ReadAllBytes(_path);
        if (bytes.Length % EntrySize != 0)
        {
            return false;
        }

        var count = bytes.Length / EntrySize;
        var timestamps = new long[Math.Max(64, count)];
        var offsets = new int[timestamps.Length];
        var previous = long.MinValue;
        for (var i = 0; i < count; i++)
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(i * EntrySize));
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i * EntrySize + 8));
            if (timestamp <= previous || relative < 0 || _baseOffset + relative >= nextOffset)
            {
                return false;
            }

            timestamps[i] = timestamp;
            offsets[i] = relative;
            previous = timestamp;
        }

        _timestamps = timestamps;
        _offsets = offsets;
        _persistedCount = count;
        Volatile.Write(ref _count, count);
        return true;
    }

    public void Persist(bool fsync)
    {
        if (_persistedCount == _count && !_fileNeedsTruncation && !fsync)
        {
            return;
        }

        using var handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        var pending = _count - _persistedCount;
        if (pending > 0)
        {
            var buffer = new byte[pending * EntrySize];
            for (var i = 0; i < pending; i++)
            {
                BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(i * EntrySize), _timestamps[_persistedCount + i]);
                BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(i * EntrySize + 8), _offsets[_persistedCount + i]);
            }

            RandomAccess.Write(handle, buffer, (long)_persistedCount * EntrySize);
        }

        if (_fileNeedsTruncation || pending > 0)
        {
            RandomAccess.SetLength(handle, (long)_count * EntrySize);
        }

        if (fsync)
        {
            FileSync.FlushData(handle);
        }

        _persistedCount = _count;
        _fileNeedsTruncation = false;
    }

    private void SetCount(int count)
    {
        if (count < _persistedCount)
        {
            _persistedCount = count;
            _fileNeedsTruncation = true;
        }

        Volatile.Write(ref _count, count);
    }

    private (long Timestamp, long Offset) Entry(int i) =>
        (Volatile.Read(ref _timestamps)[i], _baseOffset + Volatile.Read(ref _offsets)[i]);
}
