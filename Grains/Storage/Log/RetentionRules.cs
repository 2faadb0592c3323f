namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Kafka's retention rules for the segments of a log: with <c>cleanup.policy</c> naming <c>delete</c>, a segment is due
/// when its newest record is older than <c>retention.ms</c> or the log is larger than <c>retention.bytes</c> without
/// it; under any policy, when it lies wholly before the log start offset (DeleteRecords). A compact-only log keeps
/// the rest for the cleaner.
/// <para>Invariants: what is due is always a prefix of the log (the oldest segments), holds only offsets below the
/// high watermark, and includes the active segment only when it is not empty (the log rolls first).</para>
/// <para>Threads: a function of the segments and offsets it is given; it reads the segments' sizes and timestamps
/// and changes nothing. Crash: nothing on disk.</para>
/// </summary>
internal static class RetentionRules
{
    /// <summary>
    /// How many of the oldest <paramref name="segments"/> are due, and the rule that deletes the most of them
    /// (the log's <c>retention.ms</c>, <c>retention.bytes</c> or log start offset).
    /// </summary>
    public static (int Count, string Reason) CountDeletable(
        ReadOnlySpan<LogSegment> segments,
        LogConfig config,
        long nowMs,
        long highWatermark,
        long logStartOffset,
        long logEndOffset)
    {
        // Only a prefix may go: segments wholly below the high watermark, and the active one only when not empty.
        var deletable = 0;
        while (deletable < segments.Length && highWatermark >= EndOf(segments, deletable, logEndOffset)
            && !(deletable == segments.Length - 1 && segments[deletable].Size == 0))
        {
            deletable++;
        }

        var byTime = 0;
        if (config.Delete && config.RetentionMs >= 0)
        {
            while (byTime < deletable
                && segments[byTime].MaxTimestamp is var maxTimestamp && maxTimestamp >= 0
                && nowMs - maxTimestamp > config.RetentionMs)
            {
                byTime++;
            }
        }

        var bySize = 0;
        if (config.Delete && config.RetentionBytes >= 0)
        {
            var excess = LogSegments.SizeOf(segments) - config.RetentionBytes;
            while (bySize < deletable && excess - segments[bySize].Size >= 0)
            {
                excess -= segments[bySize].Size;
                bySize++;
            }
        }

        var byStartOffset = 0;
        while (byStartOffset < deletable && EndOf(segments, byStartOffset, logEndOffset) <= logStartOffset)
        {
            byStartOffset++;
        }

        var count = Math.Max(byTime, Math.Max(bySize, byStartOffset));
        var reason = count == byTime ? "retention.ms" : count == bySize ? "retention.bytes" : "log start offset";
        return (count, reason);

        // Where a segment's offsets end: the next segment's base offset, or the log end for the active one.
        static long EndOf(ReadOnlySpan<LogSegment> segments, int i, long logEndOffset) =>
            i + 1 < segments.Length ? segments[i + 1].BaseOffset : logEndOffset;
    }
}
