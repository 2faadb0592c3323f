using Microsoft.Extensions.Logging;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Rebuilds a partition's producer state while its log opens, after Kafka's <c>rebuildProducerState</c>: the newest
/// readable snapshot at or below the log end (<see cref="ProducerSnapshotFile"/>), then every producer batch after
/// it; with no snapshot, every producer batch of the log. Only batch headers are read (and transaction markers), so
/// the replay costs little beside recovery's validation of the same bytes.
/// <para>Invariants: snapshots past the log end (written before a crash took the log back) are deleted first; the
/// aborted-transaction entries of the replayed range are dropped from the segments' transaction indexes and written
/// again by the replay, so they match the log that recovery kept.</para>
/// <para>Threads: runs before the log is shared; nothing else touches the state or the segments meanwhile.</para>
/// <para>Crash: changes only what it can redo: a crash during the rebuild leaves snapshots that are still valid and
/// transaction indexes that the next rebuild truncates and replays again.</para>
/// </summary>
internal static partial class ProducerStateLoader
{
    /// <summary>
    /// Rebuilds the state of a log cut back to <paramref name="logEndOffset"/> (a follower's truncation) from scratch;
    /// the state differs from the last snapshot's, so the next close writes one.
    /// </summary>
    public static void Reload(string directory, ReadOnlySpan<LogSegment> segments, long logEndOffset, ProducerStateManager producers, TimeProvider time, ILogger logger)
    {
        producers.Load([]);
        Rebuild(directory, segments, logEndOffset, producers, time, logger);
        producers.ChangedSinceSnapshot = true;
    }

    public static void Rebuild(
        string directory,
        ReadOnlySpan<LogSegment> segments,
        long logEndOffset,
        ProducerStateManager producers,
        TimeProvider time,
        ILogger logger)
    {
        ProducerSnapshotFile.Prune(directory, keep: int.MaxValue, maxOffset: logEndOffset);
        var replayFrom = segments[0].BaseOffset;
        foreach (var offset in ProducerSnapshotFile.List(directory))
        {
            if (ProducerSnapshotFile.TryRead(directory, offset) is { } entries)
            {
                producers.Load(entries);
                replayFrom = Math.Max(offset, replayFrom);
                break;
            }

            LogSnapshotUnreadable(logger, directory, offset);
        }

        var replayed = 0;
        foreach (var segment in segments)
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

            // Headers only: a data batch's producer fields are all in its header; a marker is read whole (it is small).
            using var scanner = segment.ScanHeaders(from);
            while (scanner.Next() == ScanStatus.Batch)
            {
                var header = scanner.Batch;
                if (RecordBatch.LastOffset(header) < replayFrom || RecordBatch.ProducerId(header) < 0)
                {
                    continue;
                }

                var append = producers.BeginAppend(AppendOrigin.Recovery, time.GetUtcNow().ToUnixTimeMilliseconds());
                append.Add(RecordBatch.IsControl(header) ? segment.ReadBatch(scanner.Position, scanner.BatchLength) : header);
                producers.Commit(append, segment.TransactionIndex);
                replayed++;
            }
        }

        // What was replayed is what the log already holds: a close with no new change needs no snapshot.
        producers.ChangedSinceSnapshot = false;
        if (producers.Count > 0 || replayed > 0)
        {
            LogProducerStateRestored(logger, directory, producers.Count, replayFrom, replayed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory}: producer snapshot at offset {Offset} is unreadable; trying an older one")]
    private static partial void LogSnapshotUnreadable(ILogger logger, string directory, long offset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Log {Directory}: {Producers} producers restored, {Replayed} producer batches replayed from offset {ReplayFrom}")]
    private static partial void LogProducerStateRestored(ILogger logger, string directory, int producers, long replayFrom, int replayed);
}
