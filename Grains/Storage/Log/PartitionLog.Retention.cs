using Tributary.Grains.KafkaFormats;
using static Tributary.Grains.Storage.Log.PartitionLogMessages;

namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Kafka's DeleteRecords: moves the log start offset to <paramref name="offset"/> (-1 means the high watermark),
    /// then deletes the segments wholly before it. Returns the new log start offset (the low watermark).
    /// </summary>
    public (ErrorCode Error, long LowWatermark) DeleteRecordsBefore(long offset)
    {
        var highWatermark = HighWatermark;
        if (offset == -1)
        {
            offset = highWatermark;
        }

        if (offset < 0 || offset > highWatermark)
        {
            return (ErrorCode.OffsetOutOfRange, LogStartOffset);
        }

        lock (_appendLock)
        {
            if (_closed)
            {
                return (ErrorCode.NotLeaderOrFollower, LogStartOffset);
            }

            if (offset > _logStartOffset)
            {
                Volatile.Write(ref _logStartOffset, offset);
                _epochs.TruncateFromStart(offset);
            }
        }

        _flusher.Checkpoint.Write();
        EnforceRetention();
        return (ErrorCode.None, LogStartOffset);
    }

    /// <summary>
    /// Deletes old segments per <c>retention.ms</c> (newest record older than that), <c>retention.bytes</c> (the log is
    /// larger than that without the segment) and the log start offset (the segment lies wholly before it), as Kafka
    /// does: always a prefix of the log, only data below the high watermark, rolling the active segment first when it
    /// too is due. Appends go on meanwhile; the append lock is held only to swap the segment list. Deleted files are
    /// renamed at once and removed after <c>file.delete.delay.ms</c>, so reads in flight finish. Returns the number of
    /// segments deleted.
    /// </summary>
    public int EnforceRetention()
    {
        lock (_retentionLock)
        {
            if (_closed)
            {
                return 0;
            }

            var config = Config;
            var (count, reason) = RetentionRules.CountDeletable(_segments.All, config, NowMs, HighWatermark, LogStartOffset, LogEndOffset);
            if (count == 0)
            {
                return 0;
            }

            var deleted = RemoveSegments(() =>
            {
                if (count == _segments.Count)
                {
                    Roll(_logEndOffset, config, NowMs);
                }

                var removed = _segments.RemoveOldest(count);
                _flusher.NoteDeleted(removed);
                Volatile.Write(ref _logStartOffset, Math.Max(_logStartOffset, _segments.First.BaseOffset));
                _epochs.TruncateFromStart(_logStartOffset);
                return removed;
            });
            LogSegmentsDeleted(_logger, Directory, deleted.Length, reason, LogStartOffset);
            return deleted.Length;
        }
    }

    /// <summary>
    /// Takes segments out of the log: under the retention lock (entered again by a retention pass) and the append lock,
    /// unless the log closed, <paramref name="cut"/> removes them from the list; they are renamed as deleted, the
    /// checkpoint is written, and their files go after <c>file.delete.delay.ms</c>, so that reads in flight finish.
    /// </summary>
    private LogSegment[] RemoveSegments(Func<LogSegment[]> cut)
    {
        LogSegment[] removed;
        lock (_retentionLock)
        {
            lock (_appendLock)
            {
                if (_closed)
                {
                    return [];
                }

                removed = cut();
                Array.ForEach(removed, s => s.MarkDeleted());
            }

            _flusher.Checkpoint.Write();
        }

        _deleter.Schedule(removed, Config.FileDeleteDelayMs);
        return removed;
    }
}
