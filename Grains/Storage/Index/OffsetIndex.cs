using System.Buffers.Binary;

namespace Tributary.Grains.Storage.Index;

/// <summary>
/// The sparse offset index of one segment: which file position a batch starts at, one entry per
/// <c>index.interval.bytes</c> of log.
/// <para>On disk (<c>.index</c>): 8-byte big-endian entries <c>(int32 offset - baseOffset, int32 position)</c>, both
/// strictly increasing; an entry names the last offset of a batch and the position where that batch starts.</para>
/// <para>In memory the entries are held whole while the segment is open (8 bytes each, 2 MiB for a full 1 GiB
/// segment); new entries reach the file on <see cref="Persist"/> (segment flush, roll, close), never one write per
/// entry. The file is therefore only trusted up to the segment's recovery point: after a crash the part of the
/// index beyond it is dropped and rebuilt from the log.</para>
/// <para>Not thread-safe for writers; readers may call <see cref="Lookup"/> concurrently with one writer because
/// entries are published by a volatile count after they are written.</para>
/// </summary>
internal sealed class OffsetIndex
{
    public const int EntrySize = 8;

    private readonly string _path;
    private readonly long _baseOffset;
    private readonly int _maxEntries;
    private long[] _entries = [];
    private int _count;
    private int _persistedCount;
    private bool _fileNeedsTruncation;

    public OffsetIndex(string path, long baseOffset, int maxIndexBytes)
    {
        _path = path;
        _baseOffset = baseOffset;
        _maxEntries = Math.Max(1, maxIndexBytes / EntrySize);
    }

    public int Count => Volatile.Read(ref _count);

    public bool IsFull => Count >= _maxEntries;

    /// <summary>The last indexed (offset, position), or (baseOffset, 0) when empty.</summary>
    public (long Offset, int Position) LastEntry
    {
        get
        {
            var count = Count;
            return count == 0 ? (_baseOffset, 0) : Unpack(Volatile.Read(ref _entries)[count - 1]);
        }
    }

    /// <summary>The entry with the largest offset not above <paramref name="offset"/>, or (baseOffset, 0).</summary>
    public (long Offset, int Position) Lookup(long offset)
    {
        var entries = Volatile.Read(ref _entries);
        var count = Math.Min(Count, entries.Length);
        var relative = offset - _baseOffset;
        int low = 0, high = count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if ((entries[mid] >> 32) <= relative)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found < 0 ? (_baseOffset, 0) : Unpack(entries[found]);
    }

    public void Append(long offset, int position)
    {
        var relative = checked((int)(offset - _baseOffset));
        if (_count == _entries.Length)
        {
            var grown = new long[Math.Max(64, _entries.Length * 2)];
            _entries.AsSpan(0, _count).CopyTo(grown);
            Volatile.Write(ref _entries, grown);
        }

        _entries[_count] = ((long)relative << 32) | (uint)position;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Drops the entries of batches at or after <paramref name="position"/>.</summary>
    public void TruncateToPosition(int position)
    {
        var keep = _count;
        while (keep > 0 && (int)_entries[keep - 1] >= position)
        {
            keep--;
        }

        SetCount(keep);
    }

    /// <summary>Drops every entry of offsets at or above <paramref name="offset"/>.</summary>
    public void TruncateToOffset(long offset)
    {
        var keep = _count;
        while (keep > 0 && (_entries[keep - 1] >> 32) + _baseOffset >= offset)
        {
            keep--;
        }

        SetCount(keep);
    }

    public void Clear() => SetCount(0);

    /// <summary>
    /// Loads the file. Returns false (and holds no entries) when the file is missing or fails the sanity check:
    /// a size that is not a whole number of entries, offsets or positions that do not increase, or a position at
    /// or past <paramref name="logSize"/>.
    /// </summary>
    public bool TryLoad(long logSize)
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
        var entries = new long[Math.Max(64, count)];
        long previousOffset = -1, previousPosition = -1;
        for (var i = 0; i < count; i++)
        {
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i * EntrySize));
            var position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i * EntrySize + 4));
            if (relative <= previousOffset || position <= previousPosition || position >= logSize)
            {
                return false;
            }

            entries[i] = ((long)relative << 32) | (uint)position;
            previousOffset = relative;
            previousPosition = position;
        }

        _entries = entries;
        _persistedCount = count;
        Volatile.Write(ref _count, count);
        return true;
    }

    /// <summary>Writes the entries not yet in the file, and fsyncs it when asked.</summary>
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
                var (offset, position) = Unpack(_entries[_persistedCount + i]);
                BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(i * EntrySize), (int)(offset - _baseOffset));
                BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(i * EntrySize + 4), position);
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

    private (long Offset, int Position) Unpack(long entry) => (_baseOffset + (entry >> 32), (int)entry);
}
