using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// A segment's aborted transactions, after Kafka's TransactionIndex: <c>&lt;base offset&gt;.txnindex</c>, one 34-byte
/// entry per abort marker in the segment (<c>int16 version 0 | int64 producer id | int64 first offset | int64 last
/// offset | int64 last stable offset</c>, big-endian), in marker order. The file exists only once a transaction was
/// aborted in the segment. Entries past the point recovery replays from are dropped and written again by the replay;
/// a torn entry at the end is ignored.
/// <para>Threads: the log's single writer appends and truncates; readers see an immutable array of entries.</para>
/// </summary>
internal sealed class TransactionIndex(string path)
{
    private const int EntrySize = 34;
    private readonly Lock _loadLock = new();
    private AbortedTransaction[]? _entries;
    private SafeFileHandle? _file;
    private int _unflushed;

    public string Path { get; } = path;

    public IReadOnlyList<AbortedTransaction> Entries => Load();

    public void Append(AbortedTransaction entry)
    {
        var entries = Load();
        Span<byte> bytes = stackalloc byte[EntrySize];
        bytes[..2].Clear();
        BinaryPrimitives.WriteInt64BigEndian(bytes[2..], entry.ProducerId);
        BinaryPrimitives.WriteInt64BigEndian(bytes[10..], entry.FirstOffset);
        BinaryPrimitives.WriteInt64BigEndian(bytes[18..], entry.LastOffset);
        BinaryPrimitives.WriteInt64BigEndian(bytes[26..], entry.LastStableOffset);
        var file = Open();
        RandomAccess.Write(file, bytes, (long)entries.Length * EntrySize);
        Volatile.Write(ref _unflushed, 1);
        Volatile.Write(ref _entries, [.. entries, entry]);
    }

    /// <summary>
    /// Adds the aborted transactions that overlap [<paramref name="fetchOffset"/>, <paramref name="upperBound"/>).
    /// Returns true when an entry shows that nothing after it can overlap (its last stable offset reaches the bound).
    /// </summary>
    public bool Collect(long fetchOffset, long upperBound, List<AbortedTransaction> into)
    {
        foreach (var entry in Load())
        {
            if (entry.LastOffset >= fetchOffset && entry.FirstOffset < upperBound)
            {
                into.Add(entry);
            }

            if (entry.LastStableOffset >= upperBound)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Drops the entries of markers at or after <paramref name="offset"/>.</summary>
    public void TruncateFrom(long offset)
    {
        var entries = Load();
        var kept = entries.TakeWhile(e => e.LastOffset < offset).ToArray();
        if (kept.Length != entries.Length)
        {
            RandomAccess.SetLength(Open(), (long)kept.Length * EntrySize);
            Volatile.Write(ref _unflushed, 1);
            Volatile.Write(ref _entries, kept);
        }
    }

    /// <summary>fsyncs what was written since the last flush; safe beside the writer (a later append flags itself again).</summary>
    public void Flush()
    {
        if (Interlocked.Exchange(ref _unflushed, 0) == 1 && _file is { } file)
        {
            FileSync.FlushData(file);
        }
    }

    public void Close() => _file?.Dispose();

    private SafeFileHandle Open() =>
        _file ??= File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

    private AbortedTransaction[] Load()
    {
        if (Volatile.Read(ref _entries) is { } loaded)
        {
            return loaded;
        }

        lock (_loadLock)
        {
            if (_entries is null)
            {
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(Path);
                }
                catch (FileNotFoundException)
                {
                    bytes = [];
                }

                var entries = new AbortedTransaction[bytes.Length / EntrySize];
                for (var i = 0; i < entries.Length; i++)
                {
                    var span = bytes.AsSpan(i * EntrySize);
                    entries[i] = new AbortedTransaction(
                        BinaryPrimitives.ReadInt64BigEndian(span[2..]),
                        BinaryPrimitives.ReadInt64BigEndian(span[10..]),
                        BinaryPrimitives.ReadInt64BigEndian(span[18..]),
                        BinaryPrimitives.ReadInt64BigEndian(span[26..]));
                }

                Volatile.Write(ref _entries, entries);
            }

            return _entries;
        }
    }
}
