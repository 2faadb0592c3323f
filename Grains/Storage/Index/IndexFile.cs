namespace Tributary.Grains.Storage.Index;

/// <summary>
/// What a segment's offset and time indexes share, after Kafka's AbstractIndex: a file of fixed-size entries kept
/// sorted by a search key, each naming an offset of the segment relative to its base offset, searched by binary
/// search. A subclass defines the entry's layout, its sanity check and its lookups.
/// <para>On disk: <c>Count × entry size</c> bytes, big-endian, no header and no padding; relative offsets are int32,
/// hence a segment never spans more than 2^31 offsets.</para>
/// <para>In memory the entries are held whole while the segment is open, in one array that grows by doubling up to
/// <c>segment.index.bytes</c> worth of entries (<see cref="IsFull"/> then asks the segment to roll). New entries
/// reach the file on <see cref="Persist"/> (segment flush, roll, close), never one write per entry: the file is
/// written from the first entry it lacks, and cut back when entries were dropped.</para>
/// <para>Threads: one writer (appends, truncation, load, persist) at a time; readers may search concurrently with
/// it, because an entry is written before the volatile count that publishes it, and a grown array is published
/// before the count that needs it.</para>
/// <para>Crash: the file is only trusted up to the segment's recovery point. After a crash the part beyond it is
/// dropped and rebuilt from the log; a file that is not a whole number of entries or fails the subclass's sanity check
/// is not loaded at all (<see cref="TryLoadEntries"/>), and the segment rebuilds the index from its batches.</para>
/// </summary>
internal abstract class IndexFile<TEntry>
    where TEntry : struct
{
    private const int InitialCapacity = 64;

    private readonly string _path;
    private readonly int _entrySize;
    private readonly int _maxEntries;
    private TEntry[] _entries = [];
    private int _count;
    private int _persistedCount;
    private bool _fileNeedsTruncation;

    protected IndexFile(string path, long baseOffset, int maxIndexBytes, int entrySize)
    {
        _path = path;
        _entrySize = entrySize;
        _maxEntries = Math.Max(1, maxIndexBytes / entrySize);
        BaseOffset = baseOffset;
    }

    /// <summary>The base offset of the segment; entries hold offsets relative to it.</summary>
    public long BaseOffset { get; }

    public int Count => Volatile.Read(ref _count);

    public bool IsFull => Count >= _maxEntries;

    /// <summary>Drops every entry that names an offset at or above <paramref name="offset"/>.</summary>
    public void TruncateToOffset(long offset)
    {
        var keep = _count;
        while (keep > 0 && BaseOffset + RelativeOffsetOf(_entries[keep - 1]) >= offset)
        {
            keep--;
        }

        TruncateToEntries(keep);
    }

    public void Clear() => TruncateToEntries(0);

    /// <summary>Writes the entries not yet in the file (and cuts off dropped ones), and fsyncs it when asked.</summary>
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
            var buffer = new byte[pending * _entrySize];
            for (var i = 0; i < pending; i++)
            {
                WriteEntry(buffer.AsSpan(i * _entrySize, _entrySize), _entries[_persistedCount + i]);
            }

            RandomAccess.Write(handle, buffer, (long)_persistedCount * _entrySize);
        }

        if (_fileNeedsTruncation || pending > 0)
        {
            RandomAccess.SetLength(handle, (long)_count * _entrySize);
        }

        if (fsync)
        {
            FileSync.FlushData(handle);
        }

        _persistedCount = _count;
        _fileNeedsTruncation = false;
    }

    /// <summary>The entry's offset minus <see cref="BaseOffset"/>.</summary>
    protected abstract int RelativeOffsetOf(in TEntry entry);

    /// <summary>The key entries are sorted by, and <see cref="TryFindLargestAtOrBelow"/> searches.</summary>
    protected abstract long SearchKeyOf(in TEntry entry);

    /// <summary>Decodes one entry from exactly the entry size of bytes.</summary>
    protected abstract TEntry ReadEntry(ReadOnlySpan<byte> source);

    /// <summary>Encodes one entry into exactly the entry size of bytes.</summary>
    protected abstract void WriteEntry(Span<byte> destination, in TEntry entry);

    /// <summary>Whether the entries read from the file can be trusted, given the bound passed to the load.</summary>
    protected abstract bool IsSane(ReadOnlySpan<TEntry> entries, long bound);

    /// <summary>The last entry, when there is one.</summary>
    protected bool TryGetLast(out TEntry entry)
    {
        // The count is read first: the array read after it is at least as new, so it holds that many entries.
        var count = Count;
        entry = count == 0 ? default : Volatile.Read(ref _entries)[count - 1];
        return count > 0;
    }

    /// <summary>The entry at <paramref name="slot"/> (below <see cref="Count"/>).</summary>
    protected TEntry EntryAt(int slot) => Volatile.Read(ref _entries)[slot];

    /// <summary>The entry with the largest search key not above <paramref name="key"/>, when there is one.</summary>
    protected bool TryFindLargestAtOrBelow(long key, out TEntry entry)
    {
        var entries = Volatile.Read(ref _entries);
        var count = Math.Min(Count, entries.Length);
        int low = 0, high = count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (SearchKeyOf(entries[mid]) <= key)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        entry = found < 0 ? default : entries[found];
        return found >= 0;
    }

    /// <summary>Adds an entry after the last one; the caller has checked that it sorts there.</summary>
    protected void AppendEntry(in TEntry entry)
    {
        if (_count == _entries.Length)
        {
            var grown = new TEntry[Math.Max(InitialCapacity, _entries.Length * 2)];
            _entries.AsSpan(0, _count).CopyTo(grown);
            Volatile.Write(ref _entries, grown);
        }

        _entries[_count] = entry;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Keeps the first <paramref name="count"/> entries; the file follows on the next persist.</summary>
    protected void TruncateToEntries(int count)
    {
        if (count < _persistedCount)
        {
            _persistedCount = count;
            _fileNeedsTruncation = true;
        }

        Volatile.Write(ref _count, count);
    }

    /// <summary>
    /// Loads the file. Returns false (and holds no entries) when it is missing, is not a whole number of entries, or
    /// fails <see cref="IsSane"/> with <paramref name="bound"/>.
    /// </summary>
    protected bool TryLoadEntries(long bound)
    {
        Clear();
        _persistedCount = 0;
        if (!File.Exists(_path))
        {
            return false;
        }

        var bytes = File.ReadAllBytes(_path);
        if (bytes.Length % _entrySize != 0)
        {
            return false;
        }

        var count = bytes.Length / _entrySize;
        var entries = new TEntry[Math.Max(InitialCapacity, count)];
        for (var i = 0; i < count; i++)
        {
            entries[i] = ReadEntry(bytes.AsSpan(i * _entrySize, _entrySize));
        }

        if (!IsSane(entries.AsSpan(0, count), bound))
        {
            return false;
        }

        _entries = entries;
        _persistedCount = count;
        Volatile.Write(ref _count, count);
        return true;
    }
}
