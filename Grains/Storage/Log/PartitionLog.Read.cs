using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole batches from the one holding <paramref name="offset"/>, up to <paramref name="maxBytes"/> and below
    /// the high watermark (and <paramref name="maxOffset"/> when given, e.g. the last stable offset). The first batch is
    /// returned whole even when it alone is larger than <paramref name="maxBytes"/>, if <paramref name="minOneMessage"/>
    /// (Kafka's progress guarantee). The first batch may start before <paramref name="offset"/>; readers skip the
    /// records below it. An offset before the log start or past the log end is OFFSET_OUT_OF_RANGE; a closed log
    /// answers NOT_LEADER_OR_FOLLOWER (the broker is stopping: the client looks for the partition again). A follower's
    /// fetch reads <paramref name="toLogEnd"/>, past the high watermark (readable bytes only, fsynced ones in durable mode).
    /// </summary>
    public LogReadResult Read(long offset, int maxBytes, bool minOneMessage = true, long maxOffset = long.MaxValue, bool toLogEnd = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var highWatermark = HighWatermark;
            var logStartOffset = LogStartOffset;
            var logEndOffset = LogEndOffset;
            if (_disposed)
            {
                return new LogReadResult(ErrorCode.NotLeaderOrFollower, ReadOnlyMemory<byte>.Empty, highWatermark, logStartOffset, logEndOffset);
            }

            if (offset < logStartOffset || offset > logEndOffset)
            {
                return new LogReadResult(ErrorCode.OffsetOutOfRange, ReadOnlyMemory<byte>.Empty, highWatermark, logStartOffset, logEndOffset);
            }

            var limit = Math.Min(toLogEnd ? logEndOffset : highWatermark, maxOffset);
            if (offset >= limit || maxBytes <= 0 && !minOneMessage)
            {
                return new LogReadResult(ErrorCode.None, ReadOnlyMemory<byte>.Empty, highWatermark, logStartOffset, logEndOffset);
            }

            try
            {
                var records = LogOffsetLookups.ReadBatches(_segments, offset, maxBytes, limit, minOneMessage);
                return new LogReadResult(ErrorCode.None, records, highWatermark, logStartOffset, logEndOffset);
            }
            catch (ObjectDisposedException) when (attempt == 0)
            {
                // A segment was deleted under the read (retention or close): look again with the current segments.
            }
        }
    }

    /// <summary>
    /// How many bytes a read from <paramref name="offset"/> would find below the high watermark (and
    /// <paramref name="maxOffset"/>), without reading them (<see cref="LogOffsetLookups.BytesReadable"/>).
    /// </summary>
    public long BytesReadable(long offset, long maxOffset = long.MaxValue) =>
        LogOffsetLookups.BytesReadable(_segments, offset, Math.Min(HighWatermark, maxOffset), LogStartOffset);

    /// <summary>
    /// Completes when the high watermark passes <paramref name="offset"/> (a record at that offset is readable; for a
    /// follower's fetch, <paramref name="toLogEnd"/>, the end of what is readable past it: in durable mode the fsynced
    /// end, not the log end, or a follower's fetch arriving between an append and its fsync would be answered empty at
    /// once and come straight back, round after round), when the log closes, or throws when
    /// <paramref name="cancellationToken"/> fires. No polling: appends wake it.
    /// </summary>
    public Task WaitForDataAsync(long offset, CancellationToken cancellationToken, bool toLogEnd = false) =>
        _highWatermark.WaitAsync(() => (toLogEnd ? _highWatermark.LocallyReady : HighWatermark) > offset || _closed, cancellationToken);

    /// <summary>
    /// Kafka's ListOffsets by time: the first record below the high watermark whose timestamp is at least
    /// <paramref name="timestamp"/>, or null when there is none.
    /// </summary>
    public TimestampAndOffset? FindOffsetByTimestamp(long timestamp) =>
        LogOffsetLookups.FindOffsetByTimestamp(_segments, timestamp, LogStartOffset, HighWatermark);

    /// <summary>The record with the largest timestamp (the first such), for ListOffsets MAX_TIMESTAMP.</summary>
    public TimestampAndOffset? FindMaxTimestamp() => LogOffsetLookups.FindMaxTimestamp(_segments, HighWatermark);

    /// <summary>Kafka's ListOffsets v0, from the segments (<see cref="LogOffsetLookups.LegacyOffsetsBefore"/>).</summary>
    public IReadOnlyList<long> LegacyOffsetsBefore(long timestamp, int maxNumOffsets, bool fromConsumer) =>
        LogOffsetLookups.LegacyOffsetsBefore(
            _segments, timestamp, maxNumOffsets, fromConsumer, new LogOffsets(LogStartOffset, HighWatermark, LogEndOffset), NowMs);
}
