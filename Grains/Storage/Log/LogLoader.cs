using Microsoft.Extensions.Logging;
using Tributary.Grains.Storage.Cleaner;

namespace Tributary.Grains.Storage.Log;

/// <summary>What opening a log found.</summary>
internal sealed record LoadedLog(
    List<LogSegment> Segments,
    long LogStartOffset,
    int SegmentsRecovered,
    long BytesTruncated,
    bool UsedCheckpoint);

/// <summary>
/// Opens a partition directory after Kafka's LogLoader: removes leftovers of interrupted work (<c>.tmp</c>,
/// <c>.deleted</c>, uncommitted <c>.cleaned</c> files, index files without a log), finishes a committed cleaner swap, opens the segments in offset order and recovers what may be
/// inconsistent.
/// <para>Which bytes are trusted: everything before the checkpoint's recovery point; with no checkpoint, everything
/// when the previous shutdown was clean (Kafka's rule), nothing otherwise. From the first untrusted byte each batch
/// is validated (whole, magic 2, CRC-32C, offsets increasing); the segment is truncated at the first bad batch, and
/// any later segment is deleted, since its offsets would no longer follow. A valid batch is never dropped.</para>
/// </summary>
internal static partial class LogLoader
{
    public static LoadedLog Load(string directory, LogConfig config, bool lastShutdownWasClean, long nowMs, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        RemoveLeftovers(directory);
        SegmentSwap.CompleteAfterCrash(directory);

        var baseOffsets = Directory.EnumerateFiles(directory, "*" + LogFileNames.LogSuffix)
            .Select(path => LogFileNames.TryParseBaseOffset(Path.GetFileName(path), out var b) ? b : -1)
            .Where(b => b >= 0)
            .Order()
            .ToList();
        RemoveOrphanIndexes(directory, baseOffsets);

        var checkpoint = PartitionCheckpoint.TryRead(directory);
        var segments = new List<LogSegment>(Math.Max(1, baseOffsets.Count));
        if (baseOffsets.Count == 0)
        {
            var start = Math.Max(checkpoint?.RecoveryOffset ?? 0, checkpoint?.LogStartOffset ?? 0);
            segments.Add(LogSegment.Create(directory, start, config, nowMs));
            return new LoadedLog(segments, start, 0, 0, checkpoint is not null);
        }

        foreach (var baseOffset in baseOffsets)
        {
            segments.Add(LogSegment.Open(directory, baseOffset, config, nowMs));
        }

        // Where recovery starts: (segment index, trusted position within it, offset expected there).
        int first;
        int trustedPosition;
        long expectedOffset;
        if (checkpoint is not null)
        {
            var at = segments.FindIndex(s => s.BaseOffset == checkpoint.RecoverySegmentBase);
            if (at >= 0)
            {
                (first, trustedPosition, expectedOffset) = (at, checkpoint.RecoveryPosition, checkpoint.RecoveryOffset);
            }
            else
            {
                // The checkpointed segment was deleted since: everything after it is untrusted.
                first = Math.Max(0, segments.FindIndex(s => s.BaseOffset > checkpoint.RecoverySegmentBase));
                trustedPosition = 0;
                expectedOffset = segments[first].BaseOffset;
            }
        }
        else if (lastShutdownWasClean)
        {
            first = segments.Count - 1;
            trustedPosition = segments[first].Size;
            expectedOffset = segments[first].BaseOffset;
        }
        else
        {
            (first, trustedPosition, expectedOffset) = (0, 0, segments[0].BaseOffset);
            LogFullRecovery(logger, directory);
        }

        var recovered = 0;
        long truncatedTotal = 0;
        for (var i = first; i < segments.Count; i++)
        {
            var segment = segments[i];
            var fromPosition = i == first ? trustedPosition : 0;
            var truncated = segment.Recover(fromPosition, i == first ? expectedOffset : segment.BaseOffset);
            recovered++;
            if (truncated > 0)
            {
                truncatedTotal += truncated;
                LogTruncated(logger, directory, segment.BaseOffset, truncated, segment.NextOffset);
                for (var j = segments.Count - 1; j > i; j--)
                {
                    LogDroppedSegment(logger, directory, segments[j].BaseOffset);
                    segments[j].DeleteFiles();
                    segments.RemoveAt(j);
                }

                break;
            }
        }

        // A recovery that ended with an empty trailing segment keeps it: it is the active segment.
        var logStartOffset = Math.Max(segments[0].BaseOffset, checkpoint?.LogStartOffset ?? 0);
        return new LoadedLog(segments, logStartOffset, recovered, truncatedTotal, checkpoint is not null);
    }

    private static void RemoveLeftovers(string directory)
    {
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (path.EndsWith(LogFileNames.DeletedSuffix, StringComparison.Ordinal)
                || path.EndsWith(LogFileNames.TemporarySuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }
    }

    private static void RemoveOrphanIndexes(string directory, List<long> baseOffsets)
    {
        var known = baseOffsets.ToHashSet();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if ((path.EndsWith(LogFileNames.IndexSuffix, StringComparison.Ordinal)
                    || path.EndsWith(LogFileNames.TimeIndexSuffix, StringComparison.Ordinal)
                    || path.EndsWith(LogFileNames.TransactionIndexSuffix, StringComparison.Ordinal))
                && LogFileNames.TryParseBaseOffset(Path.GetFileName(path), out var baseOffset)
                && !known.Contains(baseOffset))
            {
                File.Delete(path);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory} has no usable checkpoint after an unclean shutdown: recovering every segment")]
    private static partial void LogFullRecovery(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory}: segment {BaseOffset} truncated by {Bytes} bytes at a torn or corrupt batch; the log now ends at offset {NextOffset}")]
    private static partial void LogTruncated(ILogger logger, string directory, long baseOffset, int bytes, long nextOffset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory}: segment {BaseOffset} deleted because an earlier segment was truncated")]
    private static partial void LogDroppedSegment(ILogger logger, string directory, long baseOffset);
}
