namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
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

        return _groupCommit.WaitForFlushAsync(long.MaxValue);
    }

    /// <summary>
    /// Moves the recovery checkpoint up to the log end when appends have gone past it (a flush round with a
    /// checkpoint), so that recovery after a crash has little to validate. Does nothing when the checkpoint is current,
    /// or when a log without one has had nothing appended (there is nothing to vouch for).
    /// </summary>
    public Task CheckpointIfBehindAsync()
    {
        var end = LogEndOffset;
        var nothingAppended = _checkpoint.Written is null && _checkpoint.RecoveryPoint.RecoveryOffset == end;
        return _closed || nothingAppended || _checkpoint.IsCurrent(end) ? Task.CompletedTask : FlushAsync();
    }

    /// <summary>
    /// Kafka's time-based flush: starts a background flush when data has stayed unflushed for <c>flush.ms</c>.
    /// Called periodically by the owner.
    /// </summary>
    public void FlushIfDue()
    {
        var config = Config;
        if (!_closed && !config.IsDurable && Volatile.Read(ref _unflushedMessages) > 0
            && NowMs - Volatile.Read(ref _lastFlushMs) >= config.FlushMs)
        {
            _groupCommit.RequestFlush();
        }
    }

    /// <summary>
    /// One group-commit round, on a pool thread: capture what is written, fsync it outside the append lock, then
    /// (in durable mode) publish it to readers. Returns the offset up to which the log is now durable.
    /// </summary>
    private long FlushRound() => Flush(FlushMode.Round);

    /// <summary>What a flush is for.</summary>
    private enum FlushMode
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

    /// <summary>
    /// A flush round. The closing ones (<see cref="FlushMode.Close"/>, <see cref="FlushMode.CloseWithoutSync"/>) run
    /// once appends have stopped: they write the active segment's indexes with its data and publish nothing; a log
    /// with nothing appended since its checkpoint has nothing to write.
    /// </summary>
    private long Flush(FlushMode mode)
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
            if (_disposed)
            {
                throw new ObjectDisposedException(Directory, "The log is closed.");
            }

            sealedSegments = [.. _sealedAwaitingFlush];
            _sealedAwaitingFlush.Clear();
            active = _segments.Active;
            position = active.Size;
            offset = _logEndOffset;
            writeCheckpoint = _checkpointWanted || (closing && !IsCheckpointAt(offset, active, position));
            _checkpointWanted = false;
            if (writeCheckpoint)
            {
                active.Persist(fsync: false);

                // A flush round always snapshots, so a log's newest snapshot is never older than its last checkpoint
                // interval; a closing log only when producers changed since (closing thousands of logs creates no files).
                if (!closing || _producerStateChanged)
                {
                    producerSnapshot = CaptureProducerSnapshot();
                }
            }

            _unflushedMessages = 0;
            Volatile.Write(ref _lastFlushMs, NowMs);
        }

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

        if (mode == FlushMode.CloseWithoutSync)
        {
            _closingPoint = new PartitionCheckpoint(LogStartOffset, offset, active.BaseOffset, position);
        }
        else
        {
            _checkpoint.MoveRecoveryPoint(offset, active.BaseOffset, position);
        }

        if (producerSnapshot is not null)
        {
            // The checkpoint vouches for the log up to the offset; the producer state there must be on disk first.
            if (sync)
            {
                active.TransactionIndex.Flush();
            }

            WriteProducerSnapshot(offset, producerSnapshot, sync);
        }

        if (writeCheckpoint && mode == FlushMode.Round)
        {
            _checkpoint.Write();
        }

        if (!closing && (Config.IsDurable || HighWatermark < offset))
        {
            foreach (var segment in sealedSegments)
            {
                segment.PublishReadable(segment.Size);
            }

            active.PublishReadable(position);
            AdvanceHighWatermark(offset);
        }

        return offset;
    }

    /// <summary>True when the recovery point is already at this end of the log, with nothing sealed waiting.</summary>
    private bool IsCheckpointAt(long offset, LogSegment active, int position)
    {
        var point = _checkpoint.RecoveryPoint;
        return point.RecoveryOffset == offset && point.RecoverySegmentBase == active.BaseOffset && point.RecoveryPosition == position
            && _checkpoint.IsCurrent(offset);
    }
}
