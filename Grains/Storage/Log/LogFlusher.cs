using System.Diagnostics;
using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// One log's flush state machine, after the flush and recovery-point bookkeeping that Kafka keeps in <c>LocalLog</c>
/// apart from <c>UnifiedLog</c>: what is written but not fsynced (messages counted for <c>flush.messages</c>, the time
/// of the last flush for <c>flush.ms</c>, segments sealed by a roll and not yet fsynced), the group-commit rounds that
/// fsync it, and the recovery point they move (<see cref="CheckpointWriter"/>).
/// <para>Invariants: the recovery point never passes data that is not on stable storage (or, for a log closed with
/// many others, about to be, by the caller's one sync of the file system); the producer snapshot a checkpoint relies
/// on is written before the checkpoint; in durable mode (<c>flush.messages=1</c>) readers see data only once a round
/// has fsynced it.</para>
/// <para>Threads: rounds run one at a time under a round lock, which a truncation (<see cref="RunCut"/>) takes too, so
/// that no round writes or publishes across a cut. The <c>Note*</c> methods run under the log's append lock; a round takes that lock only to capture
/// what to flush and runs its fsyncs outside it, on a pool thread (<see cref="GroupCommit"/>), one at a time.</para>
/// </summary>
internal sealed class LogFlusher
{
    private const int SnapshotsKept = 2;

    private readonly PartitionLog _log;
    private readonly Lock _appendLock;

    /// <summary>Held by a whole flush round, and by a truncation, so that no round's writes straddle a cut.</summary>
    private readonly Lock _roundLock = new();
    private readonly LeaderEpochCache _epochs;
    private readonly ProducerStateManager _producers;
    private readonly TimeProvider _time;
    private readonly List<LogSegment> _sealedAwaitingFlush = [];
    private long _unflushedMessages;
    private long _lastFlushMs;
    private bool _checkpointWanted;
    private PartitionCheckpoint? _closingPoint;

    /// <summary>
    /// The flusher of <paramref name="log"/>, whose <paramref name="appendLock"/> it takes to capture a round, and
    /// whose leader epochs and producer state it makes durable with the checkpoint.
    /// </summary>
    public LogFlusher(PartitionLog log, Lock appendLock, CheckpointWriter checkpoint, LeaderEpochCache epochs, ProducerStateManager producers, TimeProvider time)
    {
        _log = log;
        _appendLock = appendLock;
        _epochs = epochs;
        _producers = producers;
        _time = time;
        Checkpoint = checkpoint;
        _lastFlushMs = NowMs;
        GroupCommit = new GroupCommit(() => Flush(FlushMode.Round), log.LogEndOffset);
    }

    /// <summary>What a flush is for.</summary>
    public enum FlushMode
    {
        /// <summary>A group-commit round: fsync, move the checkpoint when asked, publish in durable mode.</summary>
        Round,

        /// <summary>The last round, run once appends have stopped: always moves the checkpoint to the end.</summary>
        Close,

        /// <summary>
        /// The last round of a log closed with many others: everything is written and nothing fsynced; the checkpoint
        /// moves only once the caller has synced the file system (<see cref="CompleteUnsyncedClose"/>).
        /// </summary>
        CloseWithoutSync,
    }

    public CheckpointWriter Checkpoint { get; }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public GroupCommit GroupCommit { get; }

    /// <summary>
    /// Records appended; true when <c>flush.messages</c> is reached and a round is due. Under the append lock.
    /// </summary>
    public bool NoteAppended(long records, LogConfig config)
    {
        _unflushedMessages += records;
        return !config.IsDurable && _unflushedMessages >= config.FlushMessages;
    }

    /// <summary>A roll sealed <paramref name="segment"/>: it is fsynced in the background, then the checkpoint moves past it. Under the append lock.</summary>
    public void NoteSealed(LogSegment segment)
    {
        _sealedAwaitingFlush.Add(segment);
        _checkpointWanted = true;
        GroupCommit.RequestFlush();
    }

    /// <summary>Retention deleted <paramref name="deleted"/>: none of them is flushed any more. Under the append lock.</summary>
    public void NoteDeleted(LogSegment[] deleted) => _sealedAwaitingFlush.RemoveAll(deleted.Contains);

    /// <summary>
    /// A follower's log was cut back to end in <paramref name="active"/>: the removed segments are not flushed any more,
    /// the active one is written as the active segment, and the recovery point comes back to the new end when it was
    /// past it. Under the append lock.
    /// </summary>
    public void NoteTruncated(LogSegment[] removed, LogSegment active)
    {
        _sealedAwaitingFlush.RemoveAll(s => s == active || removed.Contains(s));
        var end = active.NextOffset;
        if (Checkpoint.RecoveryPoint.RecoveryOffset > end)
        {
            Checkpoint.MoveRecoveryPoint(end, active.BaseOffset, active.Size);
        }
    }

    /// <summary>
    /// What recovery validated past the recovery point when the log opened is not fsynced here (Kafka's rule): the next
    /// round fsyncs it and only then moves the checkpoint past it, so that opening a log costs the read of its tail and
    /// no write. A durable log shows readers only what is fsynced, so it flushes now.
    /// </summary>
    public void NoteRecoveredTail(LogSegments segments, long recoverySegmentBase, bool durable)
    {
        _sealedAwaitingFlush.AddRange(segments.All[..^1].ToArray().Where(s => s.BaseOffset >= recoverySegmentBase));
        segments.Active.MarkUnflushed();
        if (durable)
        {
            _checkpointWanted = true;
            Flush(FlushMode.Round);
        }
    }

    /// <summary>
    /// Fsyncs everything appended so far and moves the checkpoint to it, so that recovery after a crash starts
    /// from here. Completes when done.
    /// </summary>
    public Task FlushAsync()
    {
        lock (_appendLock)
        {
            _checkpointWanted = true;
        }

        return GroupCommit.WaitForFlushAsync(long.MaxValue);
    }

    /// <summary>
    /// A flush round with a checkpoint when appends went past the checkpoint written; nothing when it is current, or
    /// when a log without one has had nothing appended (there is nothing to vouch for).
    /// </summary>
    public Task CheckpointIfBehindAsync(long logEndOffset)
    {
        var nothingAppended = Checkpoint.Written is null && Checkpoint.RecoveryPoint.RecoveryOffset == logEndOffset;
        return nothingAppended || Checkpoint.IsCurrent(logEndOffset) ? Task.CompletedTask : FlushAsync();
    }

    /// <summary>Kafka's time-based flush: starts a background round when data has stayed unflushed for <c>flush.ms</c>.</summary>
    public void FlushIfDue(LogConfig config, long nowMs)
    {
        if (!config.IsDurable && Volatile.Read(ref _unflushedMessages) > 0 && nowMs - Volatile.Read(ref _lastFlushMs) >= config.FlushMs)
        {
            GroupCommit.RequestFlush();
        }
    }

    /// <summary>
    /// Flushes and closes the log: pending index entries are written, unflushed data fsynced, and the checkpoint
    /// moved to the end so that the next open recovers nothing. A flush round still running is waited for first, so
    /// that nothing this instance does reaches the files once it is closed (the next owner may already be using them).
    /// </summary>
    public async ValueTask CloseAsync()
    {
        if (await StopAsync().ConfigureAwait(false))
        {
            Flush(FlushMode.Close);
            FinishClose(sync: true);
        }
    }

    /// <summary>
    /// The first half of closing many logs at once (<see cref="LogManager.ShutdownAsync"/>): appends stop, and what
    /// the log holds in memory (index entries, the producer snapshot) is written, with no fsync; the checkpoint is
    /// not moved. The caller then syncs the file system once for every log and calls <see cref="CompleteUnsyncedClose"/>.
    /// False when the log was already closing.
    /// </summary>
    public async ValueTask<bool> BeginUnsyncedCloseAsync()
    {
        if (!await StopAsync().ConfigureAwait(false))
        {
            return false;
        }

        Flush(FlushMode.CloseWithoutSync);
        return true;
    }

    /// <summary>
    /// The second half of <see cref="BeginUnsyncedCloseAsync"/>, once everything it wrote is on stable storage: the
    /// checkpoint moves to the log end (written without fsync; the caller syncs again) and the files close.
    /// </summary>
    public void CompleteUnsyncedClose()
    {
        if (_closingPoint is { } point)
        {
            Checkpoint.MoveRecoveryPoint(point.RecoveryOffset, point.RecoverySegmentBase, point.RecoveryPosition);
        }

        FinishClose(sync: false);
    }

    /// <summary>
    /// Stops the log as a kill -9 would: no flush, no index write, no checkpoint, files closed as they are. Waits for
    /// a flush round already running so that nothing is written afterwards. For crash tests.
    /// </summary>
    public async Task CrashAsync()
    {
        _log.StopAppends();
        await GroupCommit.WhenIdleAsync().ConfigureAwait(false);
        Checkpoint.Seal();
        _log.CloseFiles(crashed: true);
    }

    private async ValueTask<bool> StopAsync()
    {
        if (!_log.StopAppends())
        {
            return false;
        }

        await GroupCommit.WhenIdleAsync().ConfigureAwait(false);
        return true;
    }

    private void FinishClose(bool sync)
    {
        Checkpoint.Write(sync);
        Checkpoint.Seal();
        _log.CloseFiles(crashed: false);
    }

    /// <summary>
    /// A flush round. The closing ones (<see cref="FlushMode.Close"/>, <see cref="FlushMode.CloseWithoutSync"/>) run
    /// once appends have stopped: they write the active segment's indexes with its data and publish nothing; a log
    /// with nothing appended since its checkpoint has nothing to write. Returns the offset up to which the log is now
    /// durable.
    /// </summary>
    public long Flush(FlushMode mode)
    {
        lock (_roundLock)
        {
            return FlushUnderRoundLock(mode);
        }
    }

    /// <summary>
    /// Runs <paramref name="cut"/> (a truncation of the log) with no flush round running, then takes back what the
    /// rounds had flushed past the new end, so that what is written there next waits for its own fsync.
    /// </summary>
    public void RunCut(Action cut)
    {
        lock (_roundLock)
        {
            cut();
            GroupCommit.CutBackTo(_log.LogEndOffset);
        }
    }

    private long FlushUnderRoundLock(FlushMode mode)
    {
        var closing = mode != FlushMode.Round;
        var sync = mode != FlushMode.CloseWithoutSync;
        LogSegment[] sealedSegments;
        LogSegment active;
        int position;
        long offset;
        bool writeCheckpoint;
        byte[]? producerSnapshot = null;
        lock (_appendLock)
        {
            // A round that started before the log began closing runs to the end (closing waits for it), so that
            // durable appends already written are acknowledged; one requested after the files are closed cannot.
            if (_log.IsDisposed)
            {
                throw new ObjectDisposedException(_log.Directory, "The log is closed.");
            }

            sealedSegments = [.. _sealedAwaitingFlush];
            _sealedAwaitingFlush.Clear();
            active = _log.Segments.Active;
            position = active.Size;
            offset = _log.LogEndOffset;
            writeCheckpoint = _checkpointWanted || (closing && !IsCheckpointAt(offset, active, position));
            _checkpointWanted = false;
            if (writeCheckpoint)
            {
                active.Persist(fsync: false);

                // A flush round always snapshots, so a log's newest snapshot is never older than its last checkpoint
                // interval; a closing log only when producers changed since (closing thousands of logs creates no files).
                producerSnapshot = _producers.CaptureSnapshot(offset, onlyIfChanged: closing);
            }

            _unflushedMessages = 0;
            Volatile.Write(ref _lastFlushMs, NowMs);
        }

        // Kafka's LogFlushRateAndTimeMs times the flush of data past the recovery point: a round with none is not one.
        var syncsData = sync && (sealedSegments.Length > 0 || active.HasUnflushedData);
        var syncing = Stopwatch.GetTimestamp();
        foreach (var segment in sealedSegments)
        {
            segment.Persist(fsync: sync, sealing: true);
        }

        if (closing)
        {
            active.Persist(fsync: sync && active.HasUnflushedData);
        }
        else
        {
            active.FlushLog();
        }

        if (syncsData)
        {
            _log.FlushStats.Flushed(Stopwatch.GetElapsedTime(syncing));
        }

        if (sync)
        {
            // The recovery point vouches for the epochs of the data before it.
            _epochs.Sync();
        }

        if (mode == FlushMode.CloseWithoutSync)
        {
            _closingPoint = new PartitionCheckpoint(_log.LogStartOffset, offset, active.BaseOffset, position);
        }
        else
        {
            Checkpoint.MoveRecoveryPoint(offset, active.BaseOffset, position);
        }

        if (producerSnapshot is not null)
        {
            // The checkpoint vouches for the log up to the offset; the producer state there must be on disk first.
            if (sync)
            {
                active.TransactionIndex.Flush();
            }

            ProducerSnapshotFile.Write(_log.Directory, offset, producerSnapshot, sync);
            ProducerSnapshotFile.Prune(_log.Directory, SnapshotsKept);
        }

        if (writeCheckpoint && mode == FlushMode.Round)
        {
            Checkpoint.Write();
        }

        if (!closing && (_log.Config.IsDurable || _log.HighWatermark < offset))
        {
            foreach (var segment in sealedSegments)
            {
                segment.PublishReadable(segment.Size);
            }

            active.PublishReadable(position);
            _log.AdvanceHighWatermark(offset);
        }

        return offset;
    }

    /// <summary>True when the recovery point is already at this end of the log, with nothing sealed waiting.</summary>
    private bool IsCheckpointAt(long offset, LogSegment active, int position)
    {
        var point = Checkpoint.RecoveryPoint;
        return point.RecoveryOffset == offset && point.RecoverySegmentBase == active.BaseOffset && point.RecoveryPosition == position
            && Checkpoint.IsCurrent(offset);
    }
}
