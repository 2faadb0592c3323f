using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
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
    /// <paramref name="upperBound"/>) (<see cref="LogOffsetLookups.CollectAbortedTransactions"/>).
    /// </summary>
    public List<AbortedTransaction> CollectAbortedTransactions(long fetchOffset, long upperBound) =>
        LogOffsetLookups.CollectAbortedTransactions(_segments, fetchOffset, upperBound);
}
