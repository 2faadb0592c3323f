using Microsoft.Extensions.Logging;
using Tributary.Grains.Storage.Cleaner;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// What opening a log found. <see cref="RecoveryPoint"/> is how far the log is known to be on disk: the checkpoint
/// recovery started from, or the log end when nothing had to be validated (a clean shutdown); what recovery validated
/// after it is whole but not yet fsynced, and stays after the recovery point until a flush moves it (Kafka's rule: the
/// recovery point moves only with a flush, so that a second crash validates it again).
/// </summary>
internal sealed record LoadedLog(
    List<LogSegment> Segments,
    long LogStartOffset,
    int SegmentsRecovered,
    long BytesTruncated,
    bool UsedCheckpoint,
    PartitionCheckpoint RecoveryPoint)
{
    /// <summary>Bytes validated after the recovery point.</summary>
    public long BytesRecovered { get; init; }
}

/// <summary>
/// Opens a partition directory after Kafka's LogLoader: removes leftovers of interrupted work (<c>.tmp</c>,
/// <c>.deleted</c>, uncommitted <c>.cleaned</c> files, index files without a log), finishes a committed cleaner swap, opens the segments in offset order and recovers what may be
/// inconsistent.
/// <para>Which bytes are trusted: everything before the checkpoint's recovery point; with no checkpoint, everything
/// when the previous shutdown was clean (Kafka's rule), nothing otherwise. From the first untrusted byte each batch
/// is validated (whole, magic 2, CRC-32C, offsets increasing); the segment is truncated at the first bad batch, and
/// any later segment is deleted, since its offsets would no longer follow. A valid batch is never dropped.</para>
/// <para>A log gets its first checkpoint with its first flush round (the periodic checkpoint, a roll, its close), so
/// a log without one after a crash is usually one created since the last checkpoint interval: what it holds was all
/// written since, and is all validated, as the tail of an older log is.</para>
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
            return new LoadedLog(segments, start, 0, 0, checkpoint is not null, new PartitionCheckpoint(start, start, start, 0));
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
            if (segments.Count > 1 || PartitionCheckpoint.Exists(directory))
            {
                LogFullRecovery(logger, directory, segments.Count);
            }
            else
            {
                LogNotYetCheckpointed(logger, directory, segments[0].Size);
            }
        }

        var recoveryBase = segments[first].BaseOffset;
        var recovered = 0;
        long truncatedTotal = 0;
        long validated = 0;
        for (var i = first; i < segments.Count; i++)
        {
            var segment = segments[i];
            var fromPosition = i == first ? trustedPosition : 0;
            var sizeBefore = segment.Size;
            var truncated = segment.Recover(fromPosition, i == first ? expectedOffset : segment.BaseOffset);
            validated += Math.Max(0, sizeBefore - fromPosition);
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
        var recoveryPoint = RecoveryPoint(segments, recoveryBase, trustedPosition, expectedOffset, logStartOffset, nothingToValidate: validated == 0);
        return new LoadedLog(segments, logStartOffset, recovered, truncatedTotal, checkpoint is not null, recoveryPoint) { BytesRecovered = validated };
    }

    /// <summary>
    /// The trusted point recovery started from, which was on disk before it ran; the log end when recovery found
    /// nothing after it. A trusted point that a damaged segment no longer reaches falls back to that segment's end.
    /// </summary>
    private static PartitionCheckpoint RecoveryPoint(
        List<LogSegment> segments, long segmentBase, int position, long offset, long logStartOffset, bool nothingToValidate)
    {
        var last = segments[^1];
        var at = segments.FindIndex(s => s.BaseOffset == segmentBase);
        if (nothingToValidate || at < 0)
        {
            return new PartitionCheckpoint(logStartOffset, last.NextOffset, last.BaseOffset, last.Size);
        }

        var segment = segments[at];
        return segment.Size < position
            ? new PartitionCheckpoint(logStartOffset, segment.NextOffset, segment.BaseOffset, segment.Size)
            : new PartitionCheckpoint(logStartOffset, Math.Max(offset, segment.BaseOffset), segment.BaseOffset, position);
    }

    /// <summary>
    /// True when opening the log in <paramref name="directory"/> would validate nothing: its checkpoint is at the end
    /// of its last segment, or it has no segment. Reads the checkpoint and the directory's listing only.
    /// </summary>
    public static bool HasNothingToRecover(string directory)
    {
        var last = -1L;
        foreach (var path in Directory.EnumerateFiles(directory, "*" + LogFileNames.LogSuffix))
        {
            if (LogFileNames.TryParseBaseOffset(Path.GetFileName(path), out var baseOffset))
            {
                last = Math.Max(last, baseOffset);
            }
        }

        if (last < 0)
        {
            return true;
        }

        var checkpoint = PartitionCheckpoint.TryRead(directory);
        return checkpoint is not null
            && checkpoint.RecoverySegmentBase == last
            && new FileInfo(LogFileNames.LogFile(directory, last)).Length == checkpoint.RecoveryPosition;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory} has no usable checkpoint after an unclean shutdown: recovering all {Segments} segments")]
    private static partial void LogFullRecovery(ILogger logger, string directory, int segments);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Log {Directory} has no checkpoint yet (created since the last checkpoint interval, or its checkpoint file was removed): validating its {Bytes} bytes")]
    private static partial void LogNotYetCheckpointed(ILogger logger, string directory, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory}: segment {BaseOffset} truncated by {Bytes} bytes at a torn or corrupt batch; the log now ends at offset {NextOffset}")]
    private static partial void LogTruncated(ILogger logger, string directory, long baseOffset, int bytes, long nextOffset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory}: segment {BaseOffset} deleted because an earlier segment was truncated")]
    private static partial void LogDroppedSegment(ILogger logger, string directory, long baseOffset);
}
