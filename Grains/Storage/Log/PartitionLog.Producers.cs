using Microsoft.Extensions.Logging;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    private const int SnapshotsKept = 2;

    private readonly ProducerStateManager _producers = new();

    /// <summary>
    /// The end of what read_committed consumers see: the high watermark, or the first offset of the oldest transaction
    /// still open, whichever is lower.
    /// </summary>
    public long LastStableOffset => Math.Min(HighWatermark, _producers.FirstUnstableOffset);

    /// <summary>The producers this partition knows, as of now (copies).</summary>
    public IReadOnlyList<ProducerStateEntry> ActiveProducers()
    {
        lock (_appendLock)
        {
            return _producers.Producers.Select(p => p.Clone()).ToList();
        }
    }

    /// <summary><c>producer.id.expiration.ms</c>: forgets producers idle that long with no open transaction.</summary>
    public int RemoveExpiredProducers(long expirationMs)
    {
        lock (_appendLock)
        {
            return _producers.RemoveExpired(NowMs, expirationMs);
        }
    }

    /// <summary>
    /// The aborted transactions a read_committed consumer needs for records in [<paramref name="fetchOffset"/>,
    /// <paramref name="upperBound"/>): those whose range overlaps it, from the segment holding the fetch offset on.
    /// </summary>
    public List<AbortedTransaction> CollectAbortedTransactions(long fetchOffset, long upperBound)
    {
        var found = new List<AbortedTransaction>();
        foreach (var segment in _segments.From(fetchOffset))
        {
            if (segment.TransactionIndex.Collect(fetchOffset, upperBound, found))
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Takes an append's producer changes once its bytes are in <paramref name="segment"/>. Holds the append lock.</summary>
    private void CommitProducerAppend(ProducerAppend append, LogSegment segment)
    {
        _producers.Commit(append);
        var ended = append.Completed;
        for (var i = 0; i < ended.Count; i++)
        {
            var completed = ended[i];
            if (completed.IsAborted)
            {
                segment.TransactionIndex.Append(new AbortedTransaction(
                    completed.ProducerId, completed.FirstOffset, completed.LastOffset, _producers.LastStableOffsetAfter(completed)));
            }
        }
    }

    /// <summary>The producer state as of the log end, as snapshot bytes. Holds the append lock.</summary>
    private byte[] CaptureProducerSnapshot() => ProducerSnapshotFile.Serialize(_logEndOffset, _producers.Producers);

    /// <summary>Stores a snapshot taken at <paramref name="offset"/>, once the log up to there is on disk.</summary>
    private void WriteProducerSnapshot(long offset, byte[] snapshot)
    {
        ProducerSnapshotFile.Write(Directory, offset, snapshot);
        ProducerSnapshotFile.Prune(Directory, SnapshotsKept);
    }

    /// <summary>
    /// Rebuilds the producer state while the log opens: the newest readable snapshot at or below the log end, then
    /// every batch after it (with no snapshot, every batch of the log), rewriting the aborted-transaction entries of the
    /// replayed range as it goes.
    /// </summary>
    private void RestoreProducerState()
    {
        var end = _logEndOffset;
        ProducerSnapshotFile.Prune(Directory, keep: int.MaxValue, maxOffset: end);
        var replayFrom = _segments.First.BaseOffset;
        foreach (var offset in ProducerSnapshotFile.List(Directory))
        {
            if (ProducerSnapshotFile.TryRead(Directory, offset) is { } entries)
            {
                _producers.Load(entries);
                replayFrom = Math.Max(offset, replayFrom);
                break;
            }

            LogSnapshotUnreadable(_logger, Directory, offset);
        }

        var replayed = 0;
        foreach (var segment in _segments.All)
        {
            segment.TransactionIndex.TruncateFrom(replayFrom);
            if (segment.NextOffset <= replayFrom)
            {
                continue;
            }

            var from = 0;
            if (segment.BaseOffset < replayFrom && segment.TryFindBatch(replayFrom, out var position, out _, out _))
            {
                from = position;
            }

            using var scanner = segment.Scan(from);
            while (scanner.Next() == ScanStatus.Batch)
            {
                var batch = scanner.Batch;
                if (RecordBatch.LastOffset(batch) < replayFrom || RecordBatch.ProducerId(batch) < 0)
                {
                    continue;
                }

                var append = _producers.BeginAppend(AppendOrigin.Recovery, NowMs);
                append.Add(batch);
                CommitProducerAppend(append, segment);
                replayed++;
            }
        }

        if (_producers.Count > 0 || replayed > 0)
        {
            LogProducerStateRestored(_logger, Directory, _producers.Count, replayFrom, replayed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory}: producer snapshot at offset {Offset} is unreadable; trying an older one")]
    private static partial void LogSnapshotUnreadable(ILogger logger, string directory, long offset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Log {Directory}: {Producers} producers restored, {Replayed} producer batches replayed from offset {ReplayFrom}")]
    private static partial void LogProducerStateRestored(ILogger logger, string directory, int producers, long replayFrom, int replayed);
}
