namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Kafka's ListOffsets v0 (UnifiedLog.legacyFetchOffsetsBefore), which knows segments, not records: the candidates
    /// are each segment's base offset (at least the log start offset) with the time its file was last written, and,
    /// when the active segment holds data, the log end offset with the time now. -1 (latest) starts from the last
    /// candidate, -2 (earliest) from the first, any other timestamp from the last candidate written at or before it;
    /// from there up to <paramref name="maxNumOffsets"/> offsets going back, highest first. For a consumer, offsets past
    /// the high watermark give way to the high watermark, as Kafka answers consumers.
    /// </summary>
    public IReadOnlyList<long> LegacyOffsetsBefore(long timestamp, int maxNumOffsets, bool fromConsumer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNumOffsets);
        var segments = _segments.All.ToArray();
        var logStartOffset = LogStartOffset;
        var candidates = new List<(long Offset, long Time)>(segments.Length + 1);
        foreach (var segment in segments)
        {
            candidates.Add((Math.Max(segment.BaseOffset, logStartOffset), segment.LastModifiedMs));
        }

        if (segments[^1].Size > 0)
        {
            candidates.Add((LogEndOffset, NowMs));
        }

        var start = timestamp switch
        {
            -1 => candidates.Count - 1,
            -2 => 0,
            _ => candidates.FindLastIndex(c => c.Time <= timestamp),
        };
        var offsets = new List<long>();
        for (var i = start; i >= 0 && offsets.Count < maxNumOffsets; i--)
        {
            offsets.Add(candidates[i].Offset);
        }

        offsets.Sort((a, b) => b.CompareTo(a));
        var highWatermark = HighWatermark;
        if (fromConsumer && offsets.Count > 0 && offsets[0] > highWatermark)
        {
            return [highWatermark, .. offsets.SkipWhile(o => o > highWatermark)];
        }

        return offsets;
    }
}
