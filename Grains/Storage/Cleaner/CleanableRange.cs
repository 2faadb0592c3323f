using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>Where the part of a log that the cleaner may rewrite ends, after Kafka's LogCleanerManager.cleanableOffsets.</summary>
internal static class CleanableRange
{
    /// <summary>
    /// The first offset the cleaner may not touch: the active segment's base, the last stable offset (open
    /// transactions and what readers cannot see yet), the recovery point (what is not fsynced yet may still change
    /// in a crash), and, with <c>min.compaction.lag.ms</c>, the first segment holding a record younger than that.
    /// With <paramref name="unflushed"/> the recovery point does not count: what a flush would make cleanable, for
    /// the cleaner to decide whether a flush is worth it.
    /// </summary>
    public static long FirstUncleanableOffset(PartitionLog log, long nowMs, bool unflushed = false)
    {
        var segments = log.Segments;
        var bound = Math.Min(segments.Active.BaseOffset, log.LastStableOffset);
        if (!unflushed)
        {
            bound = Math.Min(bound, log.RecoverySegmentBase);
        }

        var lagMs = log.Config.MinCompactionLagMs;
        if (lagMs > 0)
        {
            foreach (var segment in segments.All)
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
}
