using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>
/// Replaces a group of segments by the cleaned segment made from them, crash-safely, after Kafka's
/// <c>.cleaned</c> → <c>.swap</c> → rename protocol:
/// <list type="number">
/// <item>the cleaner writes and fsyncs <c>&lt;base&gt;.log.cleaned</c> and <c>.txnindex.cleaned</c> (always, even
/// empty, so that whether its rename happened can be told after a crash); a crash here
/// leaves files that the next open deletes: the old segments stay;</item>
/// <item>the transaction index, then the log, are renamed <c>.swap</c>, the log's name carrying the end of the
/// replaced range (<see cref="LogFileNames.SwapLogFile"/>), and the directory is fsynced: the commit point. From
/// here on the next open finishes the swap (<see cref="CompleteAfterCrash"/>);</item>
/// <item>the old segments' files are renamed <c>.deleted</c> (open handles stay valid, so reads in flight finish)
/// and the swap files take the plain names; the segment list is switched in one step.</item>
/// </list>
/// A crash therefore leaves the old segments or the new one, never a mix: the open after a crash deletes every
/// segment whose base offset lies in the swap's range before renaming the swap.
/// </summary>
internal static class SegmentSwap
{
    /// <summary>
    /// Commits the cleaned files of <paramref name="group"/> (covering offsets up to <paramref name="endOffset"/>) and
    /// switches <paramref name="segments"/> to the new segment. Returns it, or null with the cleaned files deleted
    /// when the group is no longer listed as it was. The caller holds the log's retention lock.
    /// </summary>
    public static LogSegment? Commit(
        string directory, IReadOnlyList<LogSegment> group, long endOffset, LogConfig config, long nowMs, LogSegments segments)
    {
        var baseOffset = group[0].BaseOffset;
        var listed = segments.All;
        var at = listed.IndexOf(group[0]);
        if (at < 0 || at + group.Count >= listed.Length || !listed.Slice(at, group.Count).SequenceEqual([.. group]))
        {
            DeleteCleaned(directory, baseOffset);
            return null;
        }

        var cleanedIndex = LogFileNames.CleanedTransactionIndexFile(directory, baseOffset);
        var swapIndex = LogFileNames.SwapTransactionIndexFile(directory, baseOffset);
        var swapLog = LogFileNames.SwapLogFile(directory, baseOffset, endOffset);
        File.Move(cleanedIndex, swapIndex, overwrite: true);
        File.Move(LogFileNames.CleanedLogFile(directory, baseOffset), swapLog, overwrite: true);
        FileSync.FlushDirectory(directory);

        foreach (var old in group)
        {
            old.MarkDeleted();
        }

        Finish(directory, baseOffset, swapLog);
        var cleaned = LogSegment.Open(directory, baseOffset, config, nowMs);
        if (!segments.TryReplace(group, cleaned))
        {
            // Cannot happen while the caller holds the retention lock: only retention removes segments other than this.
            throw new InvalidOperationException($"Segments of {directory} changed during a swap.");
        }

        return cleaned;
    }

    /// <summary>Removes what a cleaning left before its commit point.</summary>
    public static void DeleteCleaned(string directory, long baseOffset)
    {
        File.Delete(LogFileNames.CleanedLogFile(directory, baseOffset));
        File.Delete(LogFileNames.CleanedTransactionIndexFile(directory, baseOffset));
    }

    /// <summary>
    /// At open, before the segments are listed: deletes every <c>.cleaned</c> file (a cleaning that never committed)
    /// and finishes every committed swap, deleting the segments it replaces. Returns the swaps finished.
    /// </summary>
    public static int CompleteAfterCrash(string directory)
    {
        var finished = 0;
        foreach (var path in Directory.GetFiles(directory))
        {
            if (path.EndsWith(LogFileNames.CleanedSuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }

        foreach (var path in Directory.GetFiles(directory, "*" + LogFileNames.LogSuffix + LogFileNames.SwapSuffix))
        {
            if (!LogFileNames.TryParseSwapLogFile(Path.GetFileName(path), out var baseOffset, out var endOffset))
            {
                continue;
            }

            foreach (var log in Directory.GetFiles(directory, "*" + LogFileNames.LogSuffix))
            {
                if (LogFileNames.TryParseBaseOffset(Path.GetFileName(log), out var oldBase) && oldBase >= baseOffset && oldBase < endOffset)
                {
                    // The swap's own transaction index has the plain name once its .swap name is gone.
                    var keepIndex = oldBase == baseOffset && !File.Exists(LogFileNames.SwapTransactionIndexFile(directory, baseOffset));
                    DeleteSegmentFiles(directory, oldBase, keepIndex);
                }
            }

            Finish(directory, baseOffset, path);
            finished++;
        }

        // A transaction index renamed before a crash stopped the log's rename: its swap never committed.
        foreach (var path in Directory.GetFiles(directory, "*" + LogFileNames.SwapSuffix))
        {
            File.Delete(path);
        }

        return finished;
    }

    private static void Finish(string directory, long baseOffset, string swapLog)
    {
        var swapIndex = LogFileNames.SwapTransactionIndexFile(directory, baseOffset);
        var index = LogFileNames.TransactionIndexFile(directory, baseOffset);
        if (File.Exists(swapIndex))
        {
            File.Move(swapIndex, index, overwrite: true);
        }

        File.Delete(LogFileNames.IndexFile(directory, baseOffset));
        File.Delete(LogFileNames.TimeIndexFile(directory, baseOffset));
        File.Move(swapLog, LogFileNames.LogFile(directory, baseOffset), overwrite: true);
        FileSync.FlushDirectory(directory);
    }

    private static void DeleteSegmentFiles(string directory, long baseOffset, bool keepTransactionIndex)
    {
        File.Delete(LogFileNames.LogFile(directory, baseOffset));
        File.Delete(LogFileNames.IndexFile(directory, baseOffset));
        File.Delete(LogFileNames.TimeIndexFile(directory, baseOffset));
        if (!keepTransactionIndex)
        {
            File.Delete(LogFileNames.TransactionIndexFile(directory, baseOffset));
        }
    }
}
