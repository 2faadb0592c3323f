using System.Globalization;

namespace Tributary.Grains.Storage;

/// <summary>
/// Kafka's naming contract for partition directories and segment files:
/// <c>&lt;topic&gt;-&lt;partition&gt;/&lt;20-digit base offset&gt;.log</c>, <c>.index</c>, <c>.timeindex</c>,
/// <c>.txnindex</c>, and producer snapshots <c>&lt;20-digit offset&gt;.snapshot</c>.
/// A segment queued for deletion carries the suffix <c>.deleted</c>; anything ending in <c>.tmp</c> is a write
/// that never completed. Both are removed when a log opens.
/// </summary>
public static class LogFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string TransactionIndexSuffix = ".txnindex";
    public const string DeletedSuffix = ".deleted";
    public const string TemporarySuffix = ".tmp";
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

    /// <summary>Reads the base offset from a segment file name such as <c>00000000000000000042.log</c>.</summary>
    public static bool TryParseBaseOffset(string fileName, out long baseOffset)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        baseOffset = -1;
        return stem.Length == 20
            && long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
