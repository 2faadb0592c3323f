using System.Collections.Frozen;
using System.Globalization;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Storage.Config;

/// <summary>
/// Every topic config Kafka 3.9 knows, with its default and validation, and the mapping of a topic's configs to
/// the <see cref="LogConfig"/> the partition log runs on. Unknown names are rejected, as Kafka rejects them.
/// </summary>
public static class TopicConfigs
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string RetentionMs = "retention.ms";
    public const string RetentionBytes = "retention.bytes";
    public const string SegmentBytes = "segment.bytes";
    public const string SegmentMs = "segment.ms";
    public const string LeaderReplicationThrottledReplicas = "leader.replication.throttled.replicas";
    public const string FollowerReplicationThrottledReplicas = "follower.replication.throttled.replicas";
    public const string SegmentJitterMs = "segment.jitter.ms";
    public const string SegmentIndexBytes = "segment.index.bytes";
    public const string MaxMessageBytes = "max.message.bytes";
    public const string MinInSyncReplicas = "min.insync.replicas";
    public const string CompressionType = "compression.type";
    public const string MessageTimestampType = "message.timestamp.type";
    public const string MessageTimestampBeforeMaxMs = "message.timestamp.before.max.ms";
    public const string MessageTimestampAfterMaxMs = "message.timestamp.after.max.ms";
    public const string MessageTimestampDifferenceMaxMs = "message.timestamp.difference.max.ms";
    public const string IndexIntervalBytes = "index.interval.bytes";
    public const string FlushMessages = "flush.messages";
    public const string FlushMs = "flush.ms";
    public const string FileDeleteDelayMs = "file.delete.delay.ms";

    private static readonly string LongMax = long.MaxValue.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<TopicConfigDefinition> All { get; } =
    [
        new(CleanupPolicy, ConfigType.List, "delete", "log.cleanup.policy",
            "Retention policy for old segments: delete, compact or both.", ValidCleanupPolicy),
        new("compression.type", ConfigType.String, "producer", "compression.type",
            "Final compression type of the topic's batches; producer keeps the producer's codec.",
            OneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer")),
        new("compression.gzip.level", ConfigType.Int, "-1", "compression.gzip.level",
            "Compression level for gzip.", v => Int(v) is -1 or (>= 1 and <= 9) ? null : "must be -1 or in [1, 9]"),
        new("compression.lz4.level", ConfigType.Int, "9", "compression.lz4.level",
            "Compression level for lz4.", v => Int(v) is >= 1 and <= 17 ? null : "must be in [1, 17]"),
        new("compression.zstd.level", ConfigType.Int, "3", "compression.zstd.level",
            "Compression level for zstd.", v => Int(v) is >= -131072 and <= 22 ? null : "must be in [-131072, 22]"),
        new("delete.retention.ms", ConfigType.Long, "86400000", "log.cleaner.delete.retention.ms",
            "How long tombstones are kept on a compacted topic.", AtLeast(0)),
        new(FileDeleteDelayMs, ConfigType.Long, "60000", "log.segment.delete.delay.ms",
            "Time to wait before deleting a file from the filesystem.", AtLeast(0)),
        new(FlushMessages, ConfigType.Long, LongMax, "log.flush.interval.messages",
            "Records between two fsyncs; 1 makes every acknowledged append durable.", AtLeast(1)),
        new(FlushMs, ConfigType.Long, LongMax, "log.flush.interval.ms",
            "Longest time data may stay unflushed.", AtLeast(0)),
        new(FollowerReplicationThrottledReplicas, ConfigType.List, "", "follower.replication.throttled.replicas",
            "Replicas whose replication is throttled on the follower side (by follower.replication.throttled.rate): '*' or partition:broker pairs.",
            ThrottledReplicas.Validate),
        new(IndexIntervalBytes, ConfigType.Int, "4096", "log.index.interval.bytes",
            "Bytes of log between two offset index entries.", AtLeast(0)),
        new(LeaderReplicationThrottledReplicas, ConfigType.List, "", "leader.replication.throttled.replicas",
            "Replicas whose replication is throttled on the leader side (by leader.replication.throttled.rate): '*' or partition:broker pairs.",
            ThrottledReplicas.Validate),
        new("local.retention.bytes", ConfigType.Long, "-2", "log.local.retention.bytes",
            "Local retention size when tiered storage is enabled.", AtLeast(-2)),
        new("local.retention.ms", ConfigType.Long, "-2", "log.local.retention.ms",
            "Local retention time when tiered storage is enabled.", AtLeast(-2)),
        new("max.compaction.lag.ms", ConfigType.Long, LongMax, "log.cleaner.max.compaction.lag.ms",
            "Longest time a record stays uncompacted.", AtLeast(1)),
        new(MaxMessageBytes, ConfigType.Int, "1048588", "message.max.bytes",
            "Largest record batch size allowed.", AtLeast(0)),
        new("message.downconversion.enable", ConfigType.Boolean, "true", "log.message.downconversion.enable",
            "Whether down-conversion of message formats is enabled."),
        new("message.format.version", ConfigType.String, "3.0-IV1", "log.message.format.version",
            "Deprecated message format version."),
        new(MessageTimestampAfterMaxMs, ConfigType.Long, LongMax, "log.message.timestamp.after.max.ms",
            "How far ahead of the broker's clock a CreateTime may be.", AtLeast(0)),
        new(MessageTimestampBeforeMaxMs, ConfigType.Long, LongMax, "log.message.timestamp.before.max.ms",
            "How far behind the broker's clock a CreateTime may be.", AtLeast(0)),
        new(MessageTimestampDifferenceMaxMs, ConfigType.Long, LongMax, "log.message.timestamp.difference.max.ms",
            "Deprecated: largest difference between a CreateTime and the broker's clock.", AtLeast(0)),
        new(MessageTimestampType, ConfigType.String, "CreateTime", "log.message.timestamp.type",
            "Whether record timestamps are the producer's (CreateTime) or the broker's (LogAppendTime).",
            OneOf("CreateTime", "LogAppendTime")),
        new("min.cleanable.dirty.ratio", ConfigType.Double, "0.5", "log.cleaner.min.cleanable.ratio",
            "Dirty share of the log that triggers compaction.",
            v => double.Parse(v, CultureInfo.InvariantCulture) is >= 0 and <= 1 ? null : "must be in [0, 1]"),
        new("min.compaction.lag.ms", ConfigType.Long, "0", "log.cleaner.min.compaction.lag.ms",
            "Shortest time a record stays uncompacted.", AtLeast(0)),
        new(MinInSyncReplicas, ConfigType.Int, "1", "min.insync.replicas",
            "In-sync replicas needed for acks=all.", AtLeast(1)),
        new("preallocate", ConfigType.Boolean, "false", "log.preallocate",
            "Preallocate segment files."),
        new("remote.storage.enable", ConfigType.Boolean, "false", null,
            "Tiered storage for the topic (not supported: must stay false).",
            v => v == "false" ? null : "tiered storage is not supported"),
        new(RetentionBytes, ConfigType.Long, "-1", "log.retention.bytes",
            "Largest size of a partition before old segments are deleted; -1 means no limit."),
        new(RetentionMs, ConfigType.Long, "604800000", "log.retention.ms",
            "Longest time a segment is kept; -1 means no limit.", AtLeast(-1)),
        new(SegmentBytes, ConfigType.Int, "1073741824", "log.segment.bytes",
            "Segment file size.", AtLeast(14)),
        new(SegmentIndexBytes, ConfigType.Int, "10485760", "log.index.size.max.bytes",
            "Size of the offset and time indexes of a segment.", AtLeast(4)),
        new(SegmentJitterMs, ConfigType.Long, "0", "log.roll.jitter.ms",
            "Largest random jitter subtracted from segment.ms.", AtLeast(0)),
        new(SegmentMs, ConfigType.Long, "604800000", "log.roll.ms",
            "Time after which the active segment is rolled.", AtLeast(1)),
        new("unclean.leader.election.enable", ConfigType.Boolean, "false", "unclean.leader.election.enable",
            "Whether an out-of-sync replica may become leader."),
    ];

    public static FrozenDictionary<string, TopicConfigDefinition> ByName { get; } =
        All.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>
    /// Checks configs a user asked for. Returns null when all are valid, else the message Kafka's INVALID_CONFIG
    /// error carries.
    /// </summary>
    public static string? Validate(IEnumerable<KeyValuePair<string, string?>> configs)
    {
        foreach (var (name, value) in configs)
        {
            if (!ByName.TryGetValue(name, out var definition))
            {
                return $"Unknown topic config name: {name}";
            }

            if (value is null)
            {
                return $"Null value not supported for topic configs: {name}";
            }

            if (definition.Validate(value) is { } error)
            {
                return $"Invalid value {value} for configuration {name}: {error}";
            }
        }

        return null;
    }

    /// <summary>
    /// The log settings for a topic whose own configs are <paramref name="configs"/> (already valid); the others take
    /// the broker's <paramref name="brokerDefaults"/> (<see cref="BrokerConfigView.TopicDefaults"/>), else Kafka's.
    /// </summary>
    public static LogConfig ToLogConfig(IReadOnlyDictionary<string, string> configs, IReadOnlyDictionary<string, string>? brokerDefaults = null)
    {
        long Long(string name) => long.Parse(Value(name), CultureInfo.InvariantCulture);
        string Value(string name) => configs.TryGetValue(name, out var v) || brokerDefaults?.TryGetValue(name, out v) == true
            ? v!
            : ByName[name].DefaultValue;

        return new LogConfig
        {
            SegmentBytes = Int(Value(SegmentBytes)),
            SegmentMs = Long(SegmentMs),
            SegmentIndexBytes = Int(Value(SegmentIndexBytes)),
            IndexIntervalBytes = Int(Value(IndexIntervalBytes)),
            RetentionMs = Long(RetentionMs),
            RetentionBytes = Long(RetentionBytes),
            MaxMessageBytes = Int(Value(MaxMessageBytes)),
            MessageTimestampType = Value(MessageTimestampType) == "LogAppendTime"
                ? TimestampType.LogAppendTime
                : TimestampType.CreateTime,
            MessageTimestampBeforeMaxMs = Math.Min(Long(MessageTimestampBeforeMaxMs), Long(MessageTimestampDifferenceMaxMs)),
            MessageTimestampAfterMaxMs = Math.Min(Long(MessageTimestampAfterMaxMs), Long(MessageTimestampDifferenceMaxMs)),
            FlushMessages = Long(FlushMessages),
            FlushMs = Long(FlushMs),
            FileDeleteDelayMs = Long(FileDeleteDelayMs),
            Compact = Value(CleanupPolicy).Split(',', StringSplitOptions.TrimEntries).Contains("compact", StringComparer.Ordinal),
            Delete = Value(CleanupPolicy).Split(',', StringSplitOptions.TrimEntries).Contains("delete", StringComparer.Ordinal),
            DeleteRetentionMs = Long("delete.retention.ms"),
            MinCompactionLagMs = Long("min.compaction.lag.ms"),
            MaxCompactionLagMs = Long("max.compaction.lag.ms"),
            MinCleanableDirtyRatio = double.Parse(Value("min.cleanable.dirty.ratio"), CultureInfo.InvariantCulture),
            MinInSyncReplicas = Int(Value(MinInSyncReplicas)),
        };
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static Func<string, string?> AtLeast(long minimum) =>
        v => long.Parse(v, CultureInfo.InvariantCulture) >= minimum ? null : $"must be at least {minimum}";

    private static Func<string, string?> OneOf(params string[] allowed) =>
        v => allowed.Contains(v, StringComparer.Ordinal) ? null : $"must be one of {string.Join(", ", allowed)}";

    private static string? ValidCleanupPolicy(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length > 0 && parts.All(p => p is "delete" or "compact")
            ? null
            : "must be a list of delete and compact";
    }
}
