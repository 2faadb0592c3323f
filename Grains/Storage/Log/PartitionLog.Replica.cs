using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Log;

/// <summary>Leader epochs and the truncation of a follower's tail (KIP-101/279), after Kafka's UnifiedLog.</summary>
public sealed partial class PartitionLog
{
    /// <summary>The newest leader epoch the log holds data of, or -1.</summary>
    public int LatestEpoch => _epochs.LatestEpoch;

    /// <summary>
    /// Makes this log its partition's leader at <paramref name="leaderEpoch"/>: the epoch starts at the log end (Kafka's
    /// makeLeader), and the batches appended from now on carry it.
    /// </summary>
    public void BecomeLeader(int leaderEpoch)
    {
        lock (_appendLock)
        {
            LeaderEpoch = leaderEpoch;
            _epochs.Assign(leaderEpoch, _logEndOffset);
        }
    }

    /// <summary>From now on the in-sync replicas bound the high watermark, from <paramref name="highWatermark"/> (not past the log end).</summary>
    public void StartReplication(long highWatermark) => _highWatermark.StartReplicating(Math.Min(highWatermark, LogEndOffset));

    /// <summary>The in-sync replicas now hold everything before <paramref name="highWatermark"/> (not past this log's end).</summary>
    public void AdvanceReplicatedHighWatermark(long highWatermark) => _highWatermark.AdvanceReplicated(Math.Min(highWatermark, LogEndOffset));

    /// <summary>
    /// OffsetForLeaderEpoch: the largest epoch not above <paramref name="epoch"/> that the log has data of, and the
    /// offset where that epoch's data ends; (-1, -1) when the log knows no such epoch.
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetForEpoch(int epoch) => _epochs.EndOffsetFor(epoch, LogEndOffset);

    /// <summary>
    /// Kafka's truncateTo, for a follower whose tail diverged from its leader's: removes the batches from the one
    /// holding <paramref name="offset"/> on, with their epochs (at the log end, only epochs that start there), and
    /// rebuilds the producer state at the new end; an offset before the log start starts the log again there. No flush
    /// round runs meanwhile (<see cref="LogFlusher.RunCut"/>). Returns the new log end offset.
    /// </summary>
    public long TruncateTo(long offset) => offset < LogStartOffset ? TruncateFullyAndStartAt(offset) : Cut(offset, startAgain: false);

    /// <summary>Kafka's truncateFullyAndStartAt: the log starts again, empty, at <paramref name="offset"/> (a follower behind its leader's log start).</summary>
    public long TruncateFullyAndStartAt(long offset) => Cut(offset, startAgain: true);

    private long Cut(long offset, bool startAgain)
    {
        _flusher.RunCut(() => RemoveSegments(() =>
        {
            LogSegment[] removed = [];
            if (startAgain)
            {
                // The old files are renamed away first: the new segment may take the name of one of them.
                Array.ForEach(_segments.All.ToArray(), s => s.MarkDeleted());
                removed = _segments.ReplaceAll(LogSegment.Create(Directory, offset, Config, NowMs));
                ProducerSnapshotFile.Prune(Directory, keep: 0);
                Volatile.Write(ref _logStartOffset, offset);
                _epochs.TruncateFromStart(offset);
            }
            else if (offset < _logEndOffset)
            {
                removed = _segments.RemoveAbove(offset);
                _segments.Active.TruncateTo(offset);
            }

            AfterTruncation(removed);
            return removed;
        }));
        return LogEndOffset;
    }

    /// <summary>The log end came back to the active segment's end: offsets, epochs, flush state and producers follow. Holds the append lock.</summary>
    private void AfterTruncation(LogSegment[] removed)
    {
        var active = _segments.Active;
        var end = active.NextOffset;
        Volatile.Write(ref _logEndOffset, end);
        Volatile.Write(ref _logStartOffset, Math.Min(_logStartOffset, end));
        _highWatermark.CutBackTo(end);

        _epochs.TruncateFromEnd(end);
        _flusher.NoteTruncated(removed, active);
        ProducerStateLoader.Reload(Directory, _segments.All, end, _producers, _time, _logger);
    }
}
