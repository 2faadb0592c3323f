namespace Tributary.Grains.Storage.Log;

/// <summary>
/// The questions about a log that its segments answer without reading records in bulk, after UnifiedLog's lookups:
/// how many bytes a fetch would find, the offset of a timestamp, the record with the largest timestamp, ListOffsets
/// v0's segment offsets, and the aborted transactions a read_committed fetch needs.
/// <para>Threads: reads only, on the segments as of the call (an immutable array) with the bounds the caller read;
/// a segment deleted meanwhile throws <see cref="ObjectDisposedException"/>, which each lookup treats as its caller
/// needs. Crash: nothing on disk.</para>
/// </summary>
internal static class LogOffsetLookups
{
    /// <summary>
    /// Whole batches from the first holding <paramref name="offset"/>, up to <paramref name="maxBytes"/> and before
    /// <paramref name="limit"/> (<see cref="LogSegment.TryRead"/>, in the first segment that has any); empty when none.
    /// </summary>
    public static ReadOnlyMemory<byte> ReadBatches(LogSegments segments, long offset, int maxBytes, long limit, bool minOneMessage)
    {
        foreach (var segment in segments.From(offset))
        {
            if (segment.TryRead(offset, maxBytes, limit, minOneMessage, out var records))
            {
                return records;
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>
    /// How many bytes a read from <paramref name="offset"/> would find below <paramref name="limit"/>, without reading
    /// them: the positions of the batches in the segment that holds the offset. As Kafka's delayed fetch estimates it,
    /// readable data that reaches into a later segment counts as <see cref="long.MaxValue"/> (enough for any fetch).
    /// </summary>
    public static long BytesReadable(LogSegments segments, long offset, long limit, long logStartOffset)
    {
        if (offset >= limit || offset < logStartOffset || segments.Floor(offset) is not { } segment)
        {
            return 0;
        }

        try
        {
            if (limit > segment.NextOffset || !segment.TryFindBatch(offset, out var start, out _, out _))
            {
                return limit > segment.NextOffset ? long.MaxValue : 0;
            }

            // Reads stop before the first batch that starts at or past the limit; one that straddles it is read whole.
            var end = !segment.TryFindBatch(limit, out var limitPosition, out var limitSize, out var limitBase) ? segment.ReadableSize
                : limitBase >= limit ? limitPosition
                : limitPosition + limitSize;
            return Math.Max(0, end - start);
        }
        catch (ObjectDisposedException)
        {
            // The segment was deleted (retention) or the log closed: a read will tell.
            return long.MaxValue;
        }
    }

    /// <summary>
    /// Kafka's ListOffsets by time: the first record in [<paramref name="logStartOffset"/>, <paramref name="highWatermark"/>)
    /// whose timestamp is at least <paramref name="timestamp"/>, or null when there is none.
    /// </summary>
    public static TimestampAndOffset? FindOffsetByTimestamp(LogSegments segments, long timestamp, long logStartOffset, long highWatermark)
    {
        foreach (var segment in segments.InRange(logStartOffset, highWatermark))
        {
            if (segment.MaxTimestamp >= timestamp
                && segment.FindOffsetByTimestamp(timestamp, logStartOffset, highWatermark) is { } found)
            {
                return new TimestampAndOffset(found.Timestamp, found.Offset);
            }
        }

        return null;
    }

    /// <summary>The record with the largest timestamp (the first such) below <paramref name="highWatermark"/>, for ListOffsets MAX_TIMESTAMP.</summary>
    public static TimestampAndOffset? FindMaxTimestamp(LogSegments segments, long highWatermark)
    {
        LogSegment? best = null;
        foreach (var segment in segments.InRange(0, highWatermark))
        {
            if (segment.MaxTimestamp > (best?.MaxTimestamp ?? -1))
            {
                best = segment;
            }
        }

        return best?.FindMaxTimestampRecord(highWatermark) is { } found
            ? new TimestampAndOffset(found.Timestamp, found.Offset)
            : null;
    }

    /// <summary>
    /// Kafka's ListOffsets v0 (UnifiedLog.legacyFetchOffsetsBefore), which knows segments, not records: the candidates
    /// are each segment's base offset (at least the log start offset) with the time its file was last written, and,
    /// when the active segment holds data, the log end offset with the time now. -1 (latest) starts from the last
    /// candidate, -2 (earliest) from the first, any other timestamp from the last candidate written at or before it;
    /// from there up to <paramref name="maxNumOffsets"/> offsets going back, highest first. For a consumer, offsets past
    /// the high watermark give way to the high watermark, as Kafka answers consumers.
    /// </summary>
    public static IReadOnlyList<long> LegacyOffsetsBefore(
        LogSegments segments, long timestamp, int maxNumOffsets, bool fromConsumer, LogOffsets offsets, long nowMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNumOffsets);
        var all = segments.All.ToArray();
        var candidates = new List<(long Offset, long Time)>(all.Length + 1);
        foreach (var segment in all)
        {
            candidates.Add((Math.Max(segment.BaseOffset, offsets.LogStartOffset), segment.LastModifiedMs));
        }

        if (all[^1].Size > 0)
        {
            candidates.Add((offsets.LogEndOffset, nowMs));
        }

        var start = timestamp switch
        {
            -1 => candidates.Count - 1,
            -2 => 0,
            _ => candidates.FindLastIndex(c => c.Time <= timestamp),
        };
        var found = new List<long>();
        for (var i = start; i >= 0 && found.Count < maxNumOffsets; i--)
        {
            found.Add(candidates[i].Offset);
        }

        found.Sort((a, b) => b.CompareTo(a));
        if (fromConsumer && found.Count > 0 && found[0] > offsets.HighWatermark)
        {
            return [offsets.HighWatermark, .. found.SkipWhile(o => o > offsets.HighWatermark)];
        }

        return found;
    }

    /// <summary>
    /// The aborted transactions a read_committed consumer needs for records in [<paramref name="fetchOffset"/>,
    /// <paramref name="upperBound"/>): those whose range overlaps it, from the segment holding the fetch offset on.
    /// </summary>
    public static List<Producers.AbortedTransaction> CollectAbortedTransactions(LogSegments segments, long fetchOffset, long upperBound)
    {
        var found = new List<Producers.AbortedTransaction>();
        foreach (var segment in segments.From(fetchOffset))
        {
            if (segment.TransactionIndex.Collect(fetchOffset, upperBound, found))
            {
                break;
            }
        }

        return found;
    }
}

/// <summary>A log's offsets read at one moment: start, high watermark, end.</summary>
internal readonly record struct LogOffsets(long LogStartOffset, long HighWatermark, long LogEndOffset);
