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
    /// checkpoint), so that recovery after a crash has little to validate. Does nothing when the checkpoint is current.
    /// </summary>
    public Task CheckpointIfBehindAsync()
    {
        return _closed || _checkpoint.IsCurrent(LogEndOffset) ? Task.CompletedTask : FlushAsync();
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
    private long FlushRound() => Flush(closing: false);

    /// <summary>
    /// A flush round; <paramref name="closing"/>, the last one, run by <see cref="DisposeAsync"/> once appends have
    /// stopped: it always moves the checkpoint to the end, fsyncs the active segment's indexes along with its data
    /// (only when it has unflushed data), and publishes nothing.
    /// </summary>
    private long Flush(bool closing)
    {
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
            writeCheckpoint = _checkpointWanted || closing;
            _checkpointWanted = false;
            if (writeCheckpoint)
            {
                active.Persist(fsync: false);
                producerSnapshot = CaptureProducerSnapshot();
            }

            _unflushedMessages = 0;
            Volatile.Write(ref _lastFlushMs, NowMs);
        }

        foreach (var segment in sealedSegments)
        {
            segment.Persist(fsync: true);
        }

        if (closing)
        {
            active.Persist(fsync: active.HasUnflushedData);
        }
        else
        {
            active.FlushLog();
        }

        _checkpoint.MoveRecoveryPoint(offset, active.BaseOffset, position);

        if (producerSnapshot is not null)
        {
            // The checkpoint vouches for the log up to the offset; the producer state there must be on disk first.
            active.TransactionIndex.Flush();
            WriteProducerSnapshot(offset, producerSnapshot);
        }

        if (writeCheckpoint)
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
}
