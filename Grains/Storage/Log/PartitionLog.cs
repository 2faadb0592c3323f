using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Tributary.Grains.Storage.Log.PartitionLogMessages;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// One partition's log, after Kafka's UnifiedLog: an ordered run of <see cref="LogSegment"/>s in one directory
/// (<see cref="LogSegments"/>), with the log start offset, the log end offset and the high watermark.
/// <para>Offsets: <see cref="LogStartOffset"/> is the first offset a reader may ask for (segments before it are
/// deleted; DeleteRecords moves it), <see cref="LogEndOffset"/> the next offset to assign, and
/// <see cref="HighWatermark"/> the end of what readers see: the log end offset, or in durable mode
/// (<c>flush.messages=1</c>) the end of what is fsynced, so that no reader ever sees a record that a crash could
/// take back.</para>
/// <para>Threads: appends, rolls, flush captures and segment-list changes are serialized by one lock that is held
/// only for page-cache writes, never for fsync; retention runs one at a time under a second. Reads take no lock: they
/// see an immutable snapshot of the segments and each segment's published readable size. Any number of readers run
/// alongside the single writer.</para>
/// <para>Crash: see <see cref="LogLoader"/>, <see cref="ProducerStateLoader"/> and <see cref="CheckpointWriter"/>. An
/// acknowledged append has left the process (it is in the page cache, which survives a kill -9) and, in durable mode,
/// is on stable storage.</para>
/// </summary>
public sealed partial class PartitionLog : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _appendLock = new();
    private readonly Lock _retentionLock = new();
    private readonly LogSegments _segments;
    private readonly LogFlusher _flusher;
    private readonly LeaderEpochCache _epochs;
    private readonly SegmentFileDeleter _deleter;
    private LogConfig _config;
    private long _logStartOffset;
    private long _logEndOffset;
    private readonly LogHighWatermark _highWatermark;
    private volatile bool _closed;
    private volatile bool _disposed;

    private PartitionLog(string directory, LogConfig config, LoadedLog loaded, TimeProvider time, ILogger logger)
    {
        Directory = directory;
        TopicPartition = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        _config = config;
        _time = time;
        _logger = logger;
        Loaded = loaded;
        _segments = new LogSegments(loaded.Segments);
        _logStartOffset = loaded.LogStartOffset;
        _logEndOffset = _segments.Active.NextOffset;
        _highWatermark = new LogHighWatermark(_logEndOffset);
        var checkpoint = new CheckpointWriter(directory, loaded.RecoveryPoint with { LogStartOffset = _logStartOffset }, () => LogStartOffset);
        _epochs = LeaderEpochCache.Open(directory, _segments.All, _logStartOffset, _logEndOffset, loaded.RecoveryPoint);
        _flusher = new LogFlusher(this, _appendLock, checkpoint, _epochs, _producers, time);
        _deleter = new SegmentFileDeleter(time);
    }

    public string Directory { get; }

    /// <summary>Kafka's name of the partition, <c>topic-partition</c>: its directory's name, as Kafka's error messages spell it.</summary>
    public string TopicPartition { get; }

    /// <summary>Where this log's flush rounds are counted and timed (its manager's).</summary>
    public LogFlushStats FlushStats { get; set; } = LogFlushStats.None;

    public LogConfig Config => Volatile.Read(ref _config);

    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    public long HighWatermark => _highWatermark.Value;

    /// <summary>True once the log started closing: nothing more will be appended.</summary>
    public bool IsClosed => _closed;

    /// <summary>Bytes of all segments.</summary>
    public long Size => _segments.SizeInBytes;

    /// <summary>Base offsets of the segments, oldest first.</summary>
    public IReadOnlyList<long> SegmentBaseOffsets => _segments.BaseOffsets;

    /// <summary>What recovery did when the log opened.</summary>
    internal LoadedLog Loaded { get; }

    /// <summary>fsync rounds run by group commit.</summary>
    internal int FlushRounds => _flusher.GroupCommit.Rounds;

    /// <summary>The leader epoch written into every batch this log appends as its partition's leader (<see cref="BecomeLeader"/>).</summary>
    public int LeaderEpoch { get; private set; }

    /// <summary>The segments, for the cleaner to read and the flusher to persist.</summary>
    internal LogSegments Segments => _segments;

    /// <summary>True once the files are closed: nothing may touch them any more.</summary>
    internal bool IsDisposed => _disposed;

    internal long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Opens (creating if needed) the log in <paramref name="directory"/>, recovering what the last run may have
    /// left inconsistent.
    /// </summary>
    public static PartitionLog Open(
        string directory,
        LogConfig config,
        bool lastShutdownWasClean,
        TimeProvider? time = null,
        ILogger? logger = null)
    {
        time ??= TimeProvider.System;
        logger ??= NullLogger.Instance;
        var loaded = LogLoader.Load(directory, config, lastShutdownWasClean, time.GetUtcNow().ToUnixTimeMilliseconds(), logger);
        var log = new PartitionLog(directory, config, loaded, time, logger);
        ProducerStateLoader.Rebuild(directory, log._segments.All, log._logEndOffset, log._producers, time, logger);
        if (loaded.RecoveryPoint.RecoveryOffset < log.LogEndOffset)
        {
            log._flusher.NoteRecoveredTail(log._segments, loaded.RecoveryPoint.RecoverySegmentBase, config.IsDurable);
        }

        LogOpened(logger, directory, log.LogStartOffset, log.LogEndOffset, loaded.SegmentsRecovered, loaded.BytesTruncated, loaded.BytesRecovered);
        return log;
    }

    /// <summary>Applies new topic configs; they take effect from the next append.</summary>
    public void UpdateConfig(LogConfig config) => Volatile.Write(ref _config, config);

    /// <inheritdoc cref="LogFlusher.CloseAsync"/>
    public async ValueTask DisposeAsync() => await _flusher.CloseAsync().ConfigureAwait(false);

    /// <inheritdoc cref="LogFlusher.BeginUnsyncedCloseAsync"/>
    internal ValueTask<bool> BeginUnsyncedCloseAsync() => _flusher.BeginUnsyncedCloseAsync();

    /// <inheritdoc cref="LogFlusher.CompleteUnsyncedClose"/>
    internal void CompleteUnsyncedClose() => _flusher.CompleteUnsyncedClose();

    /// <inheritdoc cref="LogFlusher.CrashAsync"/>
    internal Task CrashAsync() => _flusher.CrashAsync();

    /// <summary>Stops appends, and waits for a retention pass in progress; false when the log was already closing.</summary>
    internal bool StopAppends()
    {
        lock (_appendLock)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
        }

        // A retention pass in progress finishes first: it writes the checkpoint, which closing is about to own.
        lock (_retentionLock)
        {
        }

        return true;
    }

    /// <summary>Closes the files once the last round ran; <paramref name="crashed"/> leaves deletions scheduled and readers as they are.</summary>
    internal void CloseFiles(bool crashed)
    {
        _disposed = true;
        _segments.Close();
        if (!crashed)
        {
            _deleter.DeleteAllNow();
            _highWatermark.Signal();
        }
    }

    internal void AdvanceHighWatermark(long offset) => _highWatermark.AdvanceLocal(offset);
}
