using Microsoft.Win32.SafeHandles;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Index;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// One segment of a partition log: a <c>.log</c> file of whole record batches in offset order, with its sparse
/// <see cref="OffsetIndex"/> and <see cref="TimeIndex"/>.
/// <para>Invariants: the file is a sequence of whole magic-2 batches whose offsets increase; every offset in it is
/// at least <see cref="BaseOffset"/> and less than BaseOffset + 2^31 (index entries hold 32-bit relative offsets);
/// positions fit an int because a segment never grows past <c>segment.bytes</c> by more than one append.</para>
/// <para>Threads: one writer at a time (the log's append lock) calls <see cref="Append"/>, <see cref="Recover"/>,
/// <see cref="Persist"/>; any number of readers call the read methods concurrently, and see only the first
/// <see cref="ReadableSize"/> bytes, which the writer publishes after the bytes are written.</para>
/// <para>Crash: a kill can leave a torn batch at the end of the active segment and index entries that never
/// reached their files; <see cref="Recover"/> validates batches from a trusted position, truncates at the first
/// bad one and rebuilds the index entries past that position.</para>
/// </summary>
internal sealed class LogSegment : IDisposable
{
    /// <summary>
    /// A fetch from an index entry with at most this many readable bytes after it reads them all at once and finds its
    /// batch in memory (<see cref="TryRead"/>); from further back it scans headers first and reads only its records.
    /// </summary>
    private const int WholeTailReadBytes = 64 * 1024;

    /// <summary>
    /// What a scan for a fetch's first batch reads at a time: about an index interval (4 KiB by default) of small
    /// batches' headers; a larger batch is stepped over with one more read at its end rather than read through.
    /// </summary>
    private const int HeaderScanChunkBytes = 8 * 1024;

    private readonly SafeFileHandle _log;
    private readonly OffsetIndex _offsetIndex;
    private readonly TimeIndex _timeIndex;
    private readonly int _indexIntervalBytes;
    private readonly long _createdMs;
    private readonly Lock _loadLock = new();
    private volatile bool _indexesLoaded;
    private int _size;
    private int _readableSize;
    private long _nextOffset;
    private long _maxTimestamp = RecordBatch.NoTimestamp;
    private long _offsetOfMaxTimestamp;
    private long _rollingBasedTimestamp = RecordBatch.NoTimestamp;
    private int _bytesSinceLastIndexEntry;
    private int _unflushedBytes;
    private volatile bool _markedDeleted;

    private LogSegment(string directory, long baseOffset, SafeFileHandle log, LogConfig config, long createdMs)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        _log = log;
        _offsetIndex = new OffsetIndex(LogFileNames.IndexFile(directory, baseOffset), baseOffset, config.SegmentIndexBytes);
        _timeIndex = new TimeIndex(LogFileNames.TimeIndexFile(directory, baseOffset), baseOffset, config.SegmentIndexBytes);
        TransactionIndex = new TransactionIndex(LogFileNames.TransactionIndexFile(directory, baseOffset));
        _indexIntervalBytes = config.IndexIntervalBytes;
        _createdMs = createdMs;
        _size = checked((int)RandomAccess.GetLength(log));
        _readableSize = _size;
        _nextOffset = baseOffset;
    }

    public string Directory { get; }

    public long BaseOffset { get; }

    /// <summary>The transactions aborted by markers in this segment.</summary>
    public TransactionIndex TransactionIndex { get; }

    /// <summary>When the <c>.log</c> file was last written (Kafka's segment lastModified), in epoch milliseconds.</summary>
    public long LastModifiedMs =>
        new DateTimeOffset(File.GetLastWriteTimeUtc(LogFileNames.LogFile(Directory, BaseOffset))).ToUnixTimeMilliseconds();

    /// <summary>Bytes written to the file.</summary>
    public int Size => Volatile.Read(ref _size);

    /// <summary>Bytes readers may see: up to the high watermark in this segment.</summary>
    public int ReadableSize => Volatile.Read(ref _readableSize);

    /// <summary>The offset after the last batch (valid once the segment is the active one or was recovered).</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>True when bytes were written since the last fsync.</summary>
    public bool HasUnflushedData => Volatile.Read(ref _unflushedBytes) > 0;

    /// <summary>Creates an empty segment, replacing any files left at its name.</summary>
    public static LogSegment Create(string directory, long baseOffset, LogConfig config, long nowMs)
    {
        File.Delete(LogFileNames.IndexFile(directory, baseOffset));
        File.Delete(LogFileNames.TimeIndexFile(directory, baseOffset));
        File.Delete(LogFileNames.TransactionIndexFile(directory, baseOffset));
        var handle = File.OpenHandle(LogFileNames.LogFile(directory, baseOffset), FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var segment = new LogSegment(directory, baseOffset, handle, config, nowMs);
        segment._indexesLoaded = true;
        return segment;
    }

    /// <summary>Opens an existing segment; its indexes load when first needed.</summary>
    public static LogSegment Open(string directory, long baseOffset, LogConfig config, long nowMs)
    {
        var handle = File.OpenHandle(LogFileNames.LogFile(directory, baseOffset), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        return new LogSegment(directory, baseOffset, handle, config, nowMs);
    }

    /// <summary>The largest batch timestamp in the segment, or -1 when it is empty.</summary>
    public long MaxTimestamp
    {
        get
        {
            EnsureIndexesLoaded();
            return Volatile.Read(ref _maxTimestamp);
        }
    }

    /// <summary>Last offset of the first batch holding <see cref="MaxTimestamp"/>.</summary>
    public long OffsetOfMaxTimestamp
    {
        get
        {
            EnsureIndexesLoaded();
            return Volatile.Read(ref _offsetOfMaxTimestamp);
        }
    }

    /// <summary>
    /// Kafka's roll rule: roll before an append of <paramref name="appendSize"/> bytes whose largest timestamp is
    /// <paramref name="appendMaxTimestamp"/> and last offset <paramref name="appendLastOffset"/> when the segment would
    /// outgrow <c>segment.bytes</c>, has waited <c>segment.ms</c> since its first batch, has a full index, or could
    /// not express the offset relative to its base.
    /// </summary>
    public bool ShouldRoll(int appendSize, long appendMaxTimestamp, long appendLastOffset, LogConfig config, long nowMs)
    {
        var size = Size;
        if (size == 0)
        {
            return false;
        }

        var rollingBase = RollingBasedTimestamp();
        var waited = rollingBase >= 0 ? appendMaxTimestamp - rollingBase : nowMs - _createdMs;
        return size > config.SegmentBytes - appendSize
            || waited > config.SegmentMs
            || _offsetIndex.IsFull
            || _timeIndex.IsFull
            || appendLastOffset - BaseOffset > int.MaxValue;
    }

    /// <summary>Appends validated batches (offsets already assigned) at the end of the file and indexes them.</summary>
    public void Append(ReadOnlySpan<byte> batches)
    {
        var position = _size;
        RandomAccess.Write(_log, batches, position);
        var cursor = 0;
        while (cursor < batches.Length)
        {
            var batch = batches[cursor..];
            var size = RecordBatch.TotalSize(batch);
            IndexBatch(batch, position + cursor, size);
            cursor += size;
        }

        Volatile.Write(ref _size, position + batches.Length);
        Interlocked.Add(ref _unflushedBytes, batches.Length);
    }

    /// <summary>Lets readers see the first <paramref name="size"/> bytes; never takes visibility back.</summary>
    public void PublishReadable(int size) => Monotonic.RaiseTo(ref _readableSize, size);

    /// <summary>
    /// Brings the segment to a consistent state after open. Bytes before <paramref name="trustedPosition"/> are trusted:
    /// their index entries are loaded from the index files, and only the headers after the last entry are walked to
    /// restore the in-memory state; <paramref name="expectedFirstOffset"/> is the offset that follows them. Bytes from
    /// there on are validated batch by batch (whole, magic 2, CRC, offsets increasing and in range) and indexed anew;
    /// the file is truncated at the first batch that fails. An index that fails its sanity check, or a trusted prefix
    /// that does not end on a batch boundary, means nothing is trusted. Returns the number of bytes truncated.
    /// </summary>
    public int Recover(int trustedPosition, long expectedFirstOffset)
    {
        trustedPosition = Math.Clamp(trustedPosition, 0, _size);
        if (trustedPosition == 0 || !_offsetIndex.TryLoad(_size) || !_timeIndex.TryLoad(long.MaxValue))
        {
            _offsetIndex.Clear();
            _timeIndex.Clear();
            trustedPosition = 0;
            expectedFirstOffset = BaseOffset;
        }

        if (!RestoreStateTo(trustedPosition, expectedFirstOffset))
        {
            // The trusted prefix does not end on a batch boundary: trust nothing.
            return RecoverFromStart();
        }

        var validEnd = trustedPosition;
        using (var scanner = new BatchScanner(_log, trustedPosition, _size))
        {
            while (scanner.Next() == ScanStatus.Batch)
            {
                var batch = scanner.Batch;
                var baseOffset = RecordBatch.BaseOffset(batch);
                var lastOffset = RecordBatch.LastOffset(batch);
                if (!RecordBatch.IsCrcValid(batch)
                    || baseOffset < _nextOffset
                    || lastOffset < baseOffset
                    || lastOffset - BaseOffset > int.MaxValue)
                {
                    break;
                }

                IndexBatch(batch, (int)scanner.Position, batch.Length);
                validEnd = (int)scanner.Position + batch.Length;
            }
        }

        var truncated = _size - validEnd;
        if (truncated > 0)
        {
            RandomAccess.SetLength(_log, validEnd);
            _size = validEnd;
        }

        _readableSize = _size;
        _rollingBasedTimestamp = RecordBatch.NoTimestamp;
        _indexesLoaded = true;
        return truncated;
    }

    /// <summary>
    /// Finds the first batch holding an offset at or above <paramref name="offset"/> among the readable bytes.
    /// Returns false when there is none.
    /// </summary>
    public bool TryFindBatch(long offset, out int position, out int size, out long baseOffset) =>
        TryFindBatch(offset, ReadableSize, out position, out size, out baseOffset);

    /// <summary>
    /// Removes the batches from the first one holding an offset at or above <paramref name="offset"/> to the end, with
    /// their index entries (Kafka's LogSegment.truncateTo); returns the bytes removed. Only a follower's log is cut back,
    /// and clients read only from leaders, so no reader is in the removed bytes; the readable size comes down with them.
    /// The cut reaches the disk with the next flush.
    /// </summary>
    public int TruncateTo(long offset)
    {
        var size = Size;
        if (!TryFindBatch(offset, size, out var position, out _, out _))
        {
            return 0;
        }

        RandomAccess.SetLength(_log, position);
        Volatile.Write(ref _size, position);
        Volatile.Write(ref _readableSize, Math.Min(ReadableSize, position));
        RestoreStateTo(position, BaseOffset);
        MarkUnflushed();
        return size - position;
    }

    private bool TryFindBatch(long offset, int limit, out int position, out int size, out long baseOffset)
    {
        EnsureIndexesLoaded();
        return TryFindBatchFrom(_offsetIndex.Lookup(offset).Position, offset, limit, out position, out size, out baseOffset);
    }

    private bool TryFindBatchFrom(int start, long offset, int limit, out int position, out int size, out long baseOffset)
    {
        using var scanner = new BatchScanner(_log, start, limit, headersOnly: true, chunkSize: HeaderScanChunkBytes);
        while (scanner.Next() == ScanStatus.Batch)
        {
            var header = scanner.Batch;
            if (RecordBatch.LastOffset(header) >= offset)
            {
                position = (int)scanner.Position;
                size = scanner.BatchLength;
                baseOffset = RecordBatch.BaseOffset(header);
                return true;
            }
        }

        position = size = 0;
        baseOffset = -1;
        return false;
    }

    /// <summary>Walks the whole batches written from <paramref name="fromPosition"/> to the end of the file (the cleaner's read).</summary>
    public BatchScanner Scan(int fromPosition, int chunkSize = 64 * 1024) => new(_log, fromPosition, Size, chunkSize: chunkSize);

    /// <summary>Walks the headers of the batches written from <paramref name="fromPosition"/> to the end of the file.</summary>
    public BatchScanner ScanHeaders(int fromPosition) => new(_log, fromPosition, Size, headersOnly: true);

    /// <summary>The batch of <paramref name="length"/> bytes at <paramref name="position"/>, read whole.</summary>
    public byte[] ReadBatch(long position, int length)
    {
        var batch = new byte[length];
        if (ReadFully(batch, position) != length)
        {
            throw new IOException($"Segment {BaseOffset} of {Directory} ends inside the batch at position {position}.");
        }

        return batch;
    }

    /// <summary>
    /// Reads whole batches from the first one holding <paramref name="offset"/>, up to <paramref name="maxBytes"/>,
    /// stopping before any batch that starts at or beyond <paramref name="maxOffset"/>. When the first batch alone is
    /// larger than <paramref name="maxBytes"/> it is returned whole if <paramref name="minOneMessage"/>, else nothing.
    /// Returns false when the segment holds no such batch.
    /// </summary>
    public bool TryRead(long offset, int maxBytes, long maxOffset, bool minOneMessage, out ReadOnlyMemory<byte> records)
    {
        records = ReadOnlyMemory<byte>.Empty;
        EnsureIndexesLoaded();
        var start = _offsetIndex.Lookup(offset).Position;
        var readableLeft = (long)ReadableSize - start;
        if (readableLeft <= 0)
        {
            return false;
        }

        if (readableLeft > WholeTailReadBytes)
        {
            return TryReadAfterScan(start, offset, maxBytes, maxOffset, minOneMessage, out records);
        }

        // A consumer near the end of the segment: everything from the index entry on is read at once, the wanted batch
        // found in memory and the records returned from there, where a scan of the headers and then a read of the
        // records took two reads of the same bytes.
        var buffer = PooledBuffer.Rent((int)readableLeft);
        var read = ReadFully(buffer.WritableSpan, start);
        var bytes = buffer.WritableSpan[..read];
        var lookup = SegmentReadWindow.FindBatch(bytes, readableLeft, offset, out var position, out var firstSize, out var firstBaseOffset);
        if (lookup == WindowLookup.Found)
        {
            var length = FetchLength(maxBytes, readableLeft - position, firstSize, minOneMessage);
            if (firstBaseOffset >= maxOffset || length == 0)
            {
                PooledBuffer.Release(buffer.Memory);
                return true;
            }

            if (position + length <= read)
            {
                records = buffer.Memory.Slice(position, SegmentReadWindow.WholeBatches(bytes.Slice(position, length), maxOffset));
                return true;
            }
        }

        PooledBuffer.Release(buffer.Memory);
        return lookup != WindowLookup.NoSuchBatch && TryReadAfterScan(start, offset, maxBytes, maxOffset, minOneMessage, out records);
    }

    /// <summary>
    /// How many bytes a fetch reads from its first batch (of <paramref name="firstSize"/> bytes, with
    /// <paramref name="readable"/> bytes readable from it): <paramref name="maxBytes"/> at most, the first batch whole
    /// when it alone is larger and <paramref name="minOneMessage"/>, else nothing.
    /// </summary>
    private static int FetchLength(int maxBytes, long readable, int firstSize, bool minOneMessage)
    {
        var length = (int)Math.Min(maxBytes, readable);
        return firstSize <= length ? length : minOneMessage ? firstSize : 0;
    }

    /// <summary>
    /// <see cref="TryRead"/> from further back: the headers from the index entry at <paramref name="start"/> scanned to
    /// the wanted batch (a few kilobytes read: <see cref="HeaderScanChunkBytes"/> at a time), then the records read from it.
    /// </summary>
    private bool TryReadAfterScan(int start, long offset, int maxBytes, long maxOffset, bool minOneMessage, out ReadOnlyMemory<byte> records)
    {
        records = ReadOnlyMemory<byte>.Empty;
        if (!TryFindBatchFrom(start, offset, ReadableSize, out var position, out var firstSize, out var firstBaseOffset))
        {
            return false;
        }

        var length = FetchLength(maxBytes, ReadableSize - position, firstSize, minOneMessage);
        if (firstBaseOffset >= maxOffset || length == 0)
        {
            return true;
        }

        var buffer = PooledBuffer.Rent(length);
        var read = ReadFully(buffer.WritableSpan, position);
        records = buffer.Memory[..SegmentReadWindow.WholeBatches(buffer.WritableSpan[..read], maxOffset)];
        return true;
    }

    /// <summary>
    /// The first record at or after <paramref name="startOffset"/> whose timestamp is at least <paramref name="timestamp"/>,
    /// among offsets below <paramref name="maxOffset"/>.
    /// </summary>
    public (long Offset, long Timestamp)? FindOffsetByTimestamp(long timestamp, long startOffset, long maxOffset)
    {
        EnsureIndexesLoaded();
        var indexed = _timeIndex.Lookup(timestamp);
        var start = indexed is { } entry ? _offsetIndex.Lookup(entry.Offset).Position : 0;
        using var scanner = new BatchScanner(_log, start, ReadableSize, headersOnly: true);
        while (scanner.Next() == ScanStatus.Batch)
        {
            var header = scanner.Batch;
            if (RecordBatch.BaseOffset(header) >= maxOffset)
            {
                return null;
            }

            if (RecordBatch.MaxTimestamp(header) >= timestamp && RecordBatch.LastOffset(header) >= startOffset)
            {
                var batch = new byte[scanner.BatchLength];
                ReadFully(batch, scanner.Position);
                var found = FirstRecordAtOrAfter(batch, timestamp, Math.Max(startOffset, RecordBatch.BaseOffset(batch)));
                if (found is not null && found.Value.Offset < maxOffset)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>The record holding the segment's largest timestamp, below <paramref name="maxOffset"/>.</summary>
    public (long Offset, long Timestamp)? FindMaxTimestampRecord(long maxOffset)
    {
        var maxTimestamp = MaxTimestamp;
        if (maxTimestamp < 0)
        {
            return null;
        }

        return FindOffsetByTimestamp(maxTimestamp, BaseOffset, maxOffset);
    }

    /// <summary>
    /// Writes pending index entries and, when asked, fsyncs the log and indexes. A segment being sealed (<paramref name="sealing"/>:
    /// rolled, no longer appended to) also gets its final max timestamp into the time index, as Kafka's does; the
    /// active segment's is restored by walking its tail when it reopens, so flushing or closing it creates no index
    /// file that holds nothing else.
    /// </summary>
    public void Persist(bool fsync, bool sealing = false)
    {
        if (_indexesLoaded)
        {
            if (sealing && _maxTimestamp >= 0)
            {
                _timeIndex.MaybeAppend(_maxTimestamp, _offsetOfMaxTimestamp);
            }

            _offsetIndex.Persist(fsync);
            _timeIndex.Persist(fsync);
        }

        if (fsync)
        {
            TransactionIndex.Flush();
            FlushLog();
        }
    }

    /// <summary>Counts the whole file as unflushed: recovery validated it, and nothing fsynced it since.</summary>
    public void MarkUnflushed() => Volatile.Write(ref _unflushedBytes, Math.Max(1, Size));

    /// <summary>fsyncs the log file's data (not the indexes, which recovery can rebuild).</summary>
    public void FlushLog()
    {
        var unflushed = Volatile.Read(ref _unflushedBytes);
        FileSync.FlushData(_log);
        Interlocked.Add(ref _unflushedBytes, -unflushed);
    }

    /// <summary>Renames the segment's files with the <c>.deleted</c> suffix; they are removed by <see cref="DeleteFiles"/>.</summary>
    public void MarkDeleted()
    {
        // Once marked, the plain names may belong to a segment that took this one's place: a second call renames nothing.
        if (_markedDeleted)
        {
            return;
        }

        _markedDeleted = true;
        foreach (var path in Files())
        {
            if (File.Exists(path))
            {
                File.Move(path, path + LogFileNames.DeletedSuffix, overwrite: true);
            }
        }
    }

    /// <summary>Closes the file and removes the segment's files, under either name.</summary>
    public void DeleteFiles()
    {
        _log.Dispose();
        TransactionIndex.Close();
        foreach (var path in Files())
        {
            // Once marked, the plain names may already belong to a segment that took this one's place (a cleaned one).
            if (!_markedDeleted)
            {
                File.Delete(path);
            }

            File.Delete(path + LogFileNames.DeletedSuffix);
        }
    }

    public void Dispose()
    {
        _log.Dispose();
        TransactionIndex.Close();
    }

    private string[] Files() =>
    [
        LogFileNames.LogFile(Directory, BaseOffset),
        LogFileNames.IndexFile(Directory, BaseOffset),
        LogFileNames.TimeIndexFile(Directory, BaseOffset),
        LogFileNames.TransactionIndexFile(Directory, BaseOffset),
    ];

    /// <summary>
    /// Restores the running state (next offset, max timestamp, index entries) for the first
    /// <paramref name="trustedPosition"/> bytes, trusted whole: index entries past it go, and the batch headers after
    /// the last entry left are walked. False when the bytes do not end on a batch boundary there.
    /// </summary>
    private bool RestoreStateTo(int trustedPosition, long expectedNextOffset)
    {
        _offsetIndex.TruncateToPosition(trustedPosition);
        var lastIndexed = _offsetIndex.LastEntry;
        _timeIndex.TruncateToOffset(_offsetIndex.Count == 0 ? BaseOffset : lastIndexed.Offset + 1);
        _nextOffset = Math.Max(BaseOffset, expectedNextOffset);
        _maxTimestamp = RecordBatch.NoTimestamp;
        if (_timeIndex.LastEntry is { } lastTime)
        {
            _maxTimestamp = lastTime.Timestamp;
            _offsetOfMaxTimestamp = lastTime.Offset;
        }

        // Restore the running state (next offset, max timestamp) by walking the trusted bytes from the batch of the
        // last index entry; index entries cover everything before it, and the ones the file missed are added back.
        _bytesSinceLastIndexEntry = 0;
        using (var scanner = new BatchScanner(_log, lastIndexed.Position, trustedPosition, headersOnly: true))
        {
            while (scanner.Next() == ScanStatus.Batch)
            {
                IndexBatch(scanner.Batch, (int)scanner.Position, scanner.BatchLength);
            }

            if (scanner.Position != trustedPosition)
            {
                return false;
            }
        }

        _timeIndex.TruncateToOffset(_nextOffset);
        return true;
    }

    private int RecoverFromStart()
    {
        _offsetIndex.Clear();
        _timeIndex.Clear();
        return Recover(0, BaseOffset);
    }

    private void IndexBatch(ReadOnlySpan<byte> batch, int position, int size)
    {
        TrackBatch(batch);
        var lastOffset = RecordBatch.LastOffset(batch);
        if (_bytesSinceLastIndexEntry > _indexIntervalBytes)
        {
            _offsetIndex.Append(lastOffset, position);
            _timeIndex.MaybeAppend(_maxTimestamp, _offsetOfMaxTimestamp);
            _bytesSinceLastIndexEntry = 0;
        }

        _bytesSinceLastIndexEntry += size;
        Volatile.Write(ref _nextOffset, lastOffset + 1);
    }

    private void TrackBatch(ReadOnlySpan<byte> batch)
    {
        var maxTimestamp = RecordBatch.MaxTimestamp(batch);
        if (_rollingBasedTimestamp < 0)
        {
            _rollingBasedTimestamp = maxTimestamp;
        }

        if (maxTimestamp > _maxTimestamp)
        {
            Volatile.Write(ref _offsetOfMaxTimestamp, RecordBatch.LastOffset(batch));
            Volatile.Write(ref _maxTimestamp, maxTimestamp);
        }
    }

    private long RollingBasedTimestamp()
    {
        if (_rollingBasedTimestamp < 0 && Size >= RecordBatch.HeaderSize)
        {
            Span<byte> header = stackalloc byte[RecordBatch.HeaderSize];
            if (RandomAccess.Read(_log, header, 0) == RecordBatch.HeaderSize)
            {
                _rollingBasedTimestamp = RecordBatch.MaxTimestamp(header);
            }
        }

        return _rollingBasedTimestamp;
    }

    /// <summary>The timestamp of the first batch (Kafka's rolling base), or -1 when the segment is empty.</summary>
    public long FirstBatchTimestamp => RollingBasedTimestamp();

    /// <summary>Loads (or rebuilds) the indexes now rather than at the first read that needs them.</summary>
    public void LoadIndexes() => EnsureIndexesLoaded();

    /// <summary>
    /// Loads the indexes of a segment opened without recovery (a sealed one, or any after a clean close); a missing
    /// or insane index is rebuilt from the log without truncating anything.
    /// </summary>
    private void EnsureIndexesLoaded()
    {
        if (_indexesLoaded)
        {
            return;
        }

        lock (_loadLock)
        {
            if (_indexesLoaded)
            {
                return;
            }

            // Recover loads the index files (rebuilding them when insane) and walks the tail after the last index entry to restore the next offset and the latest timestamps.
            _ = Recover(_size, BaseOffset);
        }
    }

    private int ReadFully(Span<byte> buffer, long position)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(_log, buffer[total..], position + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static (long Offset, long Timestamp)? FirstRecordAtOrAfter(ReadOnlySpan<byte> batch, long timestamp, long minOffset)
    {
        var baseOffset = RecordBatch.BaseOffset(batch);
        if (RecordBatch.TimestampType(batch) == TimestampType.LogAppendTime)
        {
            return (minOffset, RecordBatch.MaxTimestamp(batch));
        }

        var baseTimestamp = RecordBatch.BaseTimestamp(batch);
        using var view = RecordsView.Open(batch, LogValidator.MaxUncompressedBatchBytes);
        var reader = view.GetReader();
        while (reader.Next(out var record) == RecordReadStatus.Record)
        {
            var recordOffset = baseOffset + record.OffsetDelta;
            var recordTimestamp = baseTimestamp + record.TimestampDelta;
            if (recordOffset >= minOffset && recordTimestamp >= timestamp)
            {
                return (recordOffset, recordTimestamp);
            }
        }

        return null;
    }
}
