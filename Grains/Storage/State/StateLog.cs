using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage.State;

/// <summary>
/// The newest value of each key in one append-only file: the embedded broker's grain state (control plane, transaction
/// coordinators), where a write is one append instead of a file created and renamed per key.
/// <code>
/// file:   magic "TRSL" | int16 format version (1) | records
/// record: int32 length of the rest | uint32 CRC-32C of the rest | int64 version | int16 key length | key (UTF-8)
///         | int32 value length (-1: removed) | value                                                   (big-endian)
/// </code>
/// A key's last record is its value; its version (the ETag of the grain state above) grows by one per write. A key
/// never written, or removed, is at version 0 (a removal appends a record with no value, which shadows the key's
/// older records until a compaction drops them all). When the file is more than twice the size of its live records
/// (and past <c>compactAfterBytes</c>) it is rewritten with one record per key, in the background, into a temporary
/// file renamed over it.
/// <para>Crash: appends reach the page cache at once, so a kill -9 loses nothing written. With <c>durable</c> a write
/// is also on the disk once <see cref="WhenDurableAsync"/> completes, concurrent writes sharing one fdatasync (group
/// commit); without it a power loss may lose the last writes. Opening reads every record and truncates the file at
/// the first that is incomplete or fails its CRC, a torn tail, unless a good record follows it: damage in the middle
/// stops the open instead of cutting good records off. A compaction cut short leaves the old file and a temporary
/// one, removed on open.</para>
/// <para>Thread-safe: one lock orders every operation; each is a single positioned read or write. Flushes run outside
/// it. One writer per file: the file is held exclusively, so a second opener fails instead of interleaving appends.</para>
/// </summary>
public sealed class StateLog : IDisposable
{
    private const short FormatVersion = 1;
    private const int FileHeaderSize = 6;
    private const int RecordHeaderSize = 8;
    private const int MaxKeyBytes = short.MaxValue;
    private static ReadOnlySpan<byte> Magic => "TRSL"u8;

    private readonly string _path;
    private readonly GroupCommit? _commit;
    private readonly long _compactAfterBytes;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private SafeFileHandle _file;
    private long _length;
    private long _liveBytes;
    private long _appended;
    private bool _disposed;
    private bool _compacting;
    private long _compactAt;
    private Task _compaction = Task.CompletedTask;

    /// <summary>Where a key's last record is, and its version.</summary>
    private readonly record struct Entry(long Version, long Offset, int Size);

    private StateLog(string path, bool durable, long compactAfterBytes, SafeFileHandle file)
    {
        (_path, _compactAfterBytes, _file) = (path, compactAfterBytes, file);
        _commit = durable ? new GroupCommit(Flush, flushedOffset: 0) : null;
    }

    /// <summary>Bytes in the file, header included.</summary>
    public long Length
    {
        get
        {
            lock (_lock)
            {
                return _length;
            }
        }
    }

    /// <summary>Opens (creating if need be) the log at <paramref name="path"/>, truncating a torn tail.</summary>
    public static StateLog Open(string path, bool durable = false, long compactAfterBytes = 16 << 20)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var created = !File.Exists(path);
        SafeFileHandle file;
        try
        {
            // Exclusive: a second writer (another process, or another storage on the same directory) would corrupt it.
            file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException(
                $"Cannot open the state log {path}: {e.Message} A grain-state directory belongs to one broker: is the data directory in use by another process?", e);
        }

        var log = new StateLog(path, durable, compactAfterBytes, file);
        try
        {
            // Only the holder of the log may remove a compaction's leftover: another's may be in progress.
            File.Delete(path + LogFileNames.TemporarySuffix);
            log.Load();
            if (durable && created)
            {
                // Durable writes into a file whose name could still be lost would not be durable.
                FileSync.FlushData(file);
                FileSync.FlushDirectory(directory);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return log;
    }

    /// <summary>The key's version and value: (0, null) when it was never written or was removed.</summary>
    public (long Version, byte[]? Value) Read(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return (0, null);
            }

            var record = new byte[entry.Size];
            RandomAccess.Read(_file, record, entry.Offset);
            return (entry.Version, Decode(record).Value.ToArray());
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/>, or with <paramref name="remove"/> removes the key, if the key is at
    /// <paramref name="expectedVersion"/>; returns the new version (0 after a removal) and the write's position for
    /// <see cref="WhenDurableAsync"/>, or null (nothing written) when the key is at another version.
    /// </summary>
    public (long Version, long Position)? TryWrite(string key, long expectedVersion, ReadOnlySpan<byte> value, bool remove = false)
    {
        lock (_lock)
        {
            var current = _entries.TryGetValue(key, out var entry) ? entry.Version : 0;
            if (current != expectedVersion)
            {
                return null;
            }

            var next = remove ? 0 : current + 1;
            return (next, Append(key, next, value, remove));
        }
    }

    /// <summary>
    /// Sets a key to a version and value carried over from elsewhere (a state file written before this log); returns
    /// the write's position for <see cref="WhenDurableAsync"/>.
    /// </summary>
    public long Import(string key, long version, ReadOnlySpan<byte> value)
    {
        lock (_lock)
        {
            return Append(key, version, value, remove: false);
        }
    }

    /// <summary>The compaction running or last run (for tests).</summary>
    internal Task Compaction
    {
        get
        {
            lock (_lock)
            {
                return _compaction;
            }
        }
    }

    /// <summary>Completes once the write at <paramref name="position"/> is on the disk (at once for a log that is not durable).</summary>
    public Task WhenDurableAsync(long position) => _commit?.WaitForFlushAsync(position) ?? Task.CompletedTask;

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _file.Dispose();
        }
    }

    /// <summary>
    /// fdatasyncs the file and returns the position written up to before it began. Positions count every byte ever
    /// appended, so they keep growing across compactions; a compaction fsyncs the file it writes, so a flush that
    /// finds its file replaced just flushes the new one.
    /// </summary>
    private long Flush()
    {
        while (true)
        {
            SafeFileHandle file;
            long appended;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                (file, appended) = (_file, _appended);
            }

            try
            {
                FileSync.FlushData(file);
                return appended;
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Appends a record (holding the lock) and returns the position after it.</summary>
    private long Append(string key, long version, ReadOnlySpan<byte> value, bool remove)
    {
        var size = RecordSize(key, remove ? 0 : value.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Encode(buffer.AsSpan(0, size), key, version, value, remove);
            RandomAccess.Write(_file, buffer.AsSpan(0, size), _length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Track(key, remove ? null : new Entry(version, _length, size));
        _length += size;
        _appended += size;
        if (!_compacting && _length > Math.Max(_compactAfterBytes, _compactAt) && _length > 2 * (_liveBytes + FileHeaderSize))
        {
            _compacting = true;
            _compaction = Task.Run(Compact);
        }

        return _appended;
    }

    /// <summary>Makes <paramref name="entry"/> the key's last record, or with null forgets the key.</summary>
    private void Track(string key, Entry? entry)
    {
        if (_entries.Remove(key, out var previous))
        {
            _liveBytes -= previous.Size;
        }

        if (entry is { } live)
        {
            _liveBytes += live.Size;
            _entries[key] = live;
        }
    }

    /// <summary>
    /// Rewrites the file with each key's last record, off the caller's thread: the records as of a snapshot are copied
    /// into a temporary file and fsynced without the lock; then, under it, the records appended since are copied too
    /// and the temporary file is renamed over the log. A failed compaction leaves the log as it was and is tried again
    /// once the file has grown by another <c>compactAfterBytes</c>.
    /// </summary>
    private void Compact()
    {
        var temporary = _path + LogFileNames.TemporarySuffix;
        try
        {
            Dictionary<string, Entry> snapshot;
            SafeFileHandle source;
            long copiedUpTo;
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                (snapshot, source, copiedUpTo) = (new Dictionary<string, Entry>(_entries, StringComparer.Ordinal), _file, _length);
            }

            using var target = File.OpenHandle(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
            RandomAccess.Write(target, FileHeader(), 0);
            var length = (long)FileHeaderSize;
            var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var (key, entry) in snapshot)
            {
                // Bytes before the snapshot's length never change, and only a compaction replaces the file.
                var record = new byte[entry.Size];
                RandomAccess.Read(source, record, entry.Offset);
                RandomAccess.Write(target, record, length);
                entries[key] = entry with { Offset = length };
                length += entry.Size;
            }

            FileSync.FlushData(target);
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                // The records appended since the snapshot, removals included, in order after the copied ones.
                for (var offset = copiedUpTo; offset < _length;)
                {
                    var record = new byte[RecordSizeAt(offset)];
                    RandomAccess.Read(_file, record, offset);
                    RandomAccess.Write(target, record, length);
                    var decoded = Decode(record);
                    if (decoded.Removed)
                    {
                        entries.Remove(decoded.Key);
                    }
                    else
                    {
                        entries[decoded.Key] = new Entry(decoded.Version, length, record.Length);
                    }

                    offset += record.Length;
                    length += record.Length;
                }

                FileSync.FlushData(target);
                target.Dispose();
                _file.Dispose();
                File.Move(temporary, _path, overwrite: true);
                _file = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                FileSync.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
                _entries.Clear();
                _liveBytes = 0;
                foreach (var (key, entry) in entries)
                {
                    _entries[key] = entry;
                    _liveBytes += entry.Size;
                }

                _length = length;
                _compactAt = 0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            lock (_lock)
            {
                _compactAt = _length + _compactAfterBytes;
            }

            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
            }
        }
        finally
        {
            lock (_lock)
            {
                _compacting = false;
            }
        }
    }

    private void Load()
    {
        var fileLength = RandomAccess.GetLength(_file);
        if (fileLength < FileHeaderSize)
        {
            RandomAccess.SetLength(_file, 0);
            RandomAccess.Write(_file, FileHeader(), 0);
            _length = FileHeaderSize;
            return;
        }

        var header = new byte[FileHeaderSize];
        RandomAccess.Read(_file, header, 0);
        if (!header.AsSpan(0, 4).SequenceEqual(Magic) || BinaryPrimitives.ReadInt16BigEndian(header.AsSpan(4)) != FormatVersion)
        {
            throw new InvalidDataException($"State log {_path} has no valid header.");
        }

        var offset = (long)FileHeaderSize;
        while (ReadRecord(offset, fileLength) is { } record)
        {
            var decoded = Decode(record);
            Track(decoded.Key, decoded.Removed ? null : new Entry(decoded.Version, offset, record.Length));
            offset += record.Length;
        }

        if (offset != fileLength)
        {
            // A whole record that fails its CRC with a good one after it is damage, not a torn append: refuse to open
            // rather than cut good records off.
            if (ReadRecord(offset + RecordSizeAt(offset), fileLength) is not null)
            {
                throw new InvalidDataException($"State log {_path} has a damaged record at byte {offset} followed by good ones.");
            }

            RandomAccess.SetLength(_file, offset);
        }

        _length = offset;
    }

    /// <summary>The declared size of the record at <paramref name="offset"/> (header included), whatever its contents.</summary>
    private int RecordSizeAt(long offset)
    {
        var prefix = new byte[4];
        RandomAccess.Read(_file, prefix, offset);
        return Math.Max(BinaryPrimitives.ReadInt32BigEndian(prefix), 0) + RecordHeaderSize;
    }

    /// <summary>The record at <paramref name="offset"/>, or null when it is incomplete, impossible, or fails its CRC.</summary>
    private byte[]? ReadRecord(long offset, long fileLength)
    {
        if (offset + RecordHeaderSize > fileLength)
        {
            return null;
        }

        var size = RecordSizeAt(offset);
        if (size < RecordHeaderSize + 14 || offset + size > fileLength)
        {
            return null;
        }

        var record = new byte[size];
        RandomAccess.Read(_file, record, offset);
        return Crc32C.Compute(record.AsSpan(RecordHeaderSize)) == BinaryPrimitives.ReadUInt32BigEndian(record.AsSpan(4)) ? record : null;
    }

    private static byte[] FileHeader()
    {
        var header = new byte[FileHeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt16BigEndian(header.AsSpan(4), FormatVersion);
        return header;
    }

    private static int RecordSize(string key, int valueLength)
    {
        var keyBytes = Encoding.UTF8.GetByteCount(key);
        if (keyBytes > MaxKeyBytes)
        {
            throw new ArgumentException($"A state log key is at most {MaxKeyBytes} bytes of UTF-8.", nameof(key));
        }

        return RecordHeaderSize + 8 + 2 + keyBytes + 4 + valueLength;
    }

    private static void Encode(Span<byte> record, string key, long version, ReadOnlySpan<byte> value, bool remove)
    {
        var body = record[RecordHeaderSize..];
        BinaryPrimitives.WriteInt64BigEndian(body, version);
        var keyLength = Encoding.UTF8.GetBytes(key, body[10..]);
        BinaryPrimitives.WriteInt16BigEndian(body[8..], (short)keyLength);
        var rest = body[(10 + keyLength)..];
        BinaryPrimitives.WriteInt32BigEndian(rest, remove ? -1 : value.Length);
        if (!remove)
        {
            value.CopyTo(rest[4..]);
        }

        BinaryPrimitives.WriteInt32BigEndian(record, body.Length);
        BinaryPrimitives.WriteUInt32BigEndian(record[4..], Crc32C.Compute(body));
    }

    private static (string Key, long Version, bool Removed, ReadOnlyMemory<byte> Value) Decode(byte[] record)
    {
        var body = record.AsMemory(RecordHeaderSize);
        var span = body.Span;
        var version = BinaryPrimitives.ReadInt64BigEndian(span);
        var keyLength = BinaryPrimitives.ReadInt16BigEndian(span[8..]);
        var key = Encoding.UTF8.GetString(span.Slice(10, keyLength));
        var valueLength = BinaryPrimitives.ReadInt32BigEndian(span[(10 + keyLength)..]);
        return valueLength < 0
            ? (key, version, true, ReadOnlyMemory<byte>.Empty)
            : (key, version, false, body.Slice(14 + keyLength, valueLength));
    }
}
