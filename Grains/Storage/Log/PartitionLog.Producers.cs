using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    private const int SnapshotsKept = 2;

    private readonly ProducerStateManager _producers = new();

    /// <summary>
    /// True when the producer state changed since the last snapshot was taken: a closing log with no change writes
    /// none, since the last one replayed with the batches after it (none of them a producer's) gives the same state.
    /// </summary>
    private bool _producerStateChanged;

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
            var removed = _producers.RemoveExpired(NowMs, expirationMs);
            _producerStateChanged |= removed > 0;
            return removed;
        }
    }

    /// <summary>
    /// The aborted transactions a read_committed consumer needs for records in [<paramref name="fetchOffset"/>,
    /// <paramref name="upperBound"/>) (<see cref="LogOffsetLookups.CollectAbortedTransactions"/>).
    /// </summary>
    public List<AbortedTransaction> CollectAbortedTransactions(long fetchOffset, long upperBound) =>
        LogOffsetLookups.CollectAbortedTransactions(_segments, fetchOffset, upperBound);

    /// <summary>
    /// The producer state as of the log end, as snapshot bytes; with <paramref name="onlyIfChanged"/>, null when it did
    /// not change since the last one. Holds the append lock.
    /// </summary>
    internal byte[]? CaptureProducerSnapshot(bool onlyIfChanged)
    {
        if (onlyIfChanged && !_producerStateChanged)
        {
            return null;
        }

        _producerStateChanged = false;
        return ProducerSnapshotFile.Serialize(_logEndOffset, _producers.Producers);
    }

    /// <summary>
    /// Stores a snapshot taken at <paramref name="offset"/>, once the log up to there is on disk (or, without
    /// <paramref name="sync"/>, about to be, with the snapshot, by one sync of the file system).
    /// </summary>
    internal void WriteProducerSnapshot(long offset, byte[] snapshot, bool sync = true)
    {
        ProducerSnapshotFile.Write(Directory, offset, snapshot, sync);
        ProducerSnapshotFile.Prune(Directory, SnapshotsKept);
    }
}
