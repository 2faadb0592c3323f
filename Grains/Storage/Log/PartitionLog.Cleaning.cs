using Tributary.Grains.Storage.Cleaner;

namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>The segments, for the cleaner to read.</summary>
    internal LogSegments Segments => _segments;

    /// <summary>
    /// The first offset the cleaner may not touch: the active segment's base, the last stable offset (open
    /// transactions and what readers cannot see yet), the recovery point (what is not fsynced yet may still change
    /// in a crash), and, with <c>min.compaction.lag.ms</c>, the first segment holding a record younger than that.
    /// </summary>
    /// <remarks>
    /// With <paramref name="unflushed"/> the recovery point does not count: what a flush would make cleanable, for
    /// the cleaner to decide whether a flush is worth it.
    /// </remarks>
    internal long FirstUncleanableOffset(long nowMs, bool unflushed = false)
    {
        var bound = Math.Min(_segments.Active.BaseOffset, LastStableOffset);
        if (!unflushed)
        {
            bound = Math.Min(bound, _checkpoint.RecoveryPoint.RecoverySegmentBase);
        }

        var lagMs = Config.MinCompactionLagMs;
        if (lagMs > 0)
        {
            foreach (var segment in _segments.All)
            {
                if (segment.BaseOffset >= bound)
                {
                    break;
                }

                if (segment.MaxTimestamp > nowMs - lagMs)
                {
                    return segment.BaseOffset;
                }
            }
        }

        return bound;
    }

    /// <summary>The producers the cleaner must keep a last batch for, as of now.</summary>
    internal Dictionary<long, ActiveProducer> ActiveProducersForCleaning()
    {
        lock (_appendLock)
        {
            return _producers.Producers.ToDictionary(p => p.ProducerId, p => new ActiveProducer(p.LastOffset, p.Epoch));
        }
    }

    /// <summary>
    /// Commits a cleaned segment in place of <paramref name="group"/> (see <see cref="SegmentSwap"/>). Runs under the
    /// retention lock, so that retention and the log's close wait for it; false, with nothing changed, when the log
    /// closed or retention removed part of the group meanwhile.
    /// </summary>
    internal bool TryCommitCleaned(IReadOnlyList<LogSegment> group, long endOffset)
    {
        LogSegment? cleaned;
        lock (_retentionLock)
        {
            if (_closed)
            {
                return false;
            }

            cleaned = SegmentSwap.Commit(Directory, group, endOffset, Config, NowMs, _segments);
            if (cleaned is null)
            {
                return false;
            }

            _deleter.Schedule([.. group], Config.FileDeleteDelayMs);
        }

        cleaned.LoadIndexes();
        return true;
    }
}
