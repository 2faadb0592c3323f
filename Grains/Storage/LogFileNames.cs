using System.Globalization;

namespace Tributary.Grains.Storage;

/// <summary>
/// Kafka's naming contract for partition directories and segment files:
/// <c>&lt;topic&gt;-&lt;partition&gt;/&lt;20-digit base offset&gt;.log</c>, <c>.index</c>, <c>.timeindex</c>,
/// <c>.txnindex</c>, and producer snapshots <c>&lt;20-digit offset&gt;.snapshot</c>.
/// A segment queued for deletion carries the suffix <c>.deleted</c>; anything ending in <c>.tmp</c> is a write
/// that never completed. Both are removed when a log opens. The cleaner writes a compacted segment as
/// <c>.cleaned</c> files and commits it by renaming them <c>.swap</c> (see <see cref="SwapLogFile"/>).
/// </summary>
public static class LogFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string TransactionIndexSuffix = ".txnindex";
    public const string DeletedSuffix = ".deleted";
    public const string TemporarySuffix = ".tmp";
    public const string CleanedSuffix = ".cleaned";
    public const string SwapSuffix = ".swap";
    public const string CheckpointFileName = "partition.checkpoint";
    public const string MetadataFileName = "partition.metadata";

    public static string PartitionDirectoryName(string topic, int partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}-{partition}");

    /// <summary>Splits <c>topic-partition</c> at its last dash; topic names may contain dashes themselves.</summary>
    public static bool TryParsePartitionDirectoryName(string name, out string topic, out int partition)
    {
        var dash = name.LastIndexOf('-');
        topic = dash > 0 ? name[..dash] : string.Empty;
        partition = -1;
        return dash > 0
            && int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out partition);
    }

    public static string FileStem(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogFile(string directory, long baseOffset) => Path.Combine(directory, FileStem(baseOffset) + LogSuffix);

    public static string IndexFile(string directory, long baseOffset) => Path.Combine(directory, FileStem(baseOffset) + IndexSuffix);

    public static string TimeIndexFile(string directory, long baseOffset) =>
        Path.Combine(directory, FileStem(baseOffset) + TimeIndexSuffix);

    public static string TransactionIndexFile(string directory, long baseOffset) =>
        Path.Combine(directory, FileStem(baseOffset) + TransactionIndexSuffix);

    /// <summary>A cleaned segment's log being written: <c>&lt;base&gt;.log.cleaned</c>; removed when a log opens.</summary>
    public static string CleanedLogFile(string directory, long baseOffset) => LogFile(directory, baseOffset) + CleanedSuffix;

    /// <summary>A cleaned segment's transaction index being written: <c>&lt;base&gt;.txnindex.cleaned</c>.</summary>
    public static string CleanedTransactionIndexFile(string directory, long baseOffset) =>
        TransactionIndexFile(directory, baseOffset) + CleanedSuffix;

    /// <summary>
    /// A cleaned segment committed to replace the segments holding offsets [<paramref name="baseOffset"/>,
    /// <paramref name="endOffset"/>): <c>&lt;base&gt;.&lt;end&gt;.log.swap</c>. The end is in the name so that a log
    /// opening after a crash knows which old segments the swap replaces even when some are gone already.
    /// </summary>
    public static string SwapLogFile(string directory, long baseOffset, long endOffset) =>
        Path.Combine(directory, FileStem(baseOffset) + "." + FileStem(endOffset) + LogSuffix + SwapSuffix);

    /// <summary>The transaction index that goes with a swap: <c>&lt;base&gt;.txnindex.swap</c>.</summary>
    public static string SwapTransactionIndexFile(string directory, long baseOffset) =>
        TransactionIndexFile(directory, baseOffset) + SwapSuffix;

    /// <summary>Reads base and end offsets from a name made by <see cref="SwapLogFile"/>.</summary>
    public static bool TryParseSwapLogFile(string fileName, out long baseOffset, out long endOffset)
    {
        baseOffset = endOffset = -1;
        var suffix = LogSuffix + SwapSuffix;
        if (!fileName.EndsWith(suffix, StringComparison.Ordinal) || fileName.Length != 20 + 1 + 20 + suffix.Length || fileName[20] != '.')
        {
            return false;
        }

        return long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset)
            && long.TryParse(fileName.AsSpan(21, 20), NumberStyles.None, CultureInfo.InvariantCulture, out endOffset);
    }

    /// <summary>Reads the base offset from a segment file name such as <c>00000000000000000042.log</c>.</summary>
    public static bool TryParseBaseOffset(string fileName, out long baseOffset)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        baseOffset = -1;
        return stem.Length == 20
            && long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
