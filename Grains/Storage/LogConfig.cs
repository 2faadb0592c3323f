using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Storage;

/// <summary>
/// The topic configs the partition log acts on, typed. Names and defaults are Kafka's (LogConfig); a topic's
/// string configs become one of these through <see cref="TopicConfigs.ToLogConfig"/>.
/// </summary>
public sealed record LogConfig
{
    public static readonly LogConfig Default = new();

    /// <summary><c>segment.bytes</c>: roll the active segment when it would grow past this. Default 1 GiB.</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary><c>segment.ms</c>: roll the active segment when its first batch is this old. Default 7 days.</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>segment.index.bytes</c>: the most an offset or time index may hold. Default 10 MiB.</summary>
    public int SegmentIndexBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary><c>index.interval.bytes</c>: bytes of log between two offset index entries. Default 4096.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary><c>retention.ms</c>: delete segments whose newest record is older; -1 keeps forever. Default 7 days.</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>retention.bytes</c>: delete the oldest segments while the log is larger; -1 means no limit. Default -1.</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary><c>max.message.bytes</c>: the largest batch accepted. Default 1048588.</summary>
    public int MaxMessageBytes { get; init; } = 1048588;

    /// <summary><c>message.timestamp.type</c>: CreateTime keeps the producer's, LogAppendTime stamps the broker's. Default CreateTime.</summary>
    public TimestampType MessageTimestampType { get; init; } = TimestampType.CreateTime;

    /// <summary><c>message.timestamp.before.max.ms</c>: how far in the past a CreateTime may be. Default unbounded.</summary>
    public long MessageTimestampBeforeMaxMs { get; init; } = long.MaxValue;

    /// <summary><c>message.timestamp.after.max.ms</c>: how far in the future a CreateTime may be. Default unbounded.</summary>
    public long MessageTimestampAfterMaxMs { get; init; } = long.MaxValue;

    /// <summary>
    /// <c>flush.messages</c>: fsync after this many records. Default unbounded (the OS decides). At 1 the log is
    /// durable: an append is acknowledged only once fsynced, and concurrent appends share one fsync.
    /// </summary>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary><c>flush.ms</c>: fsync when the oldest unflushed append is this old. Default unbounded.</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary>
    /// <c>cleanup.policy</c> names <c>compact</c> (alone or with <c>delete</c>): every record needs a key, as Kafka's
    /// LogValidator demands of a compacted topic. Default false (<c>delete</c>).
    /// </summary>
    public bool Compact { get; init; }

    /// <summary>
    /// <c>cleanup.policy</c> names <c>delete</c> (alone or with <c>compact</c>): retention by time and size applies.
    /// Default true.
    /// </summary>
    public bool Delete { get; init; } = true;

    /// <summary><c>delete.retention.ms</c>: how long a tombstone (and a marker that governs nothing) stays once cleaned. Default 1 day.</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary><c>min.compaction.lag.ms</c>: a record stays uncompacted at least this long. Default 0.</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary><c>max.compaction.lag.ms</c>: a record becomes due for compaction at most this long after it was written. Default unbounded.</summary>
    public long MaxCompactionLagMs { get; init; } = long.MaxValue;

    /// <summary><c>min.cleanable.dirty.ratio</c>: clean a log once this share of it is dirty. Default 0.5.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary><c>file.delete.delay.ms</c>: how long a deleted segment's files linger for reads in flight. Default 60 s.</summary>
    public long FileDeleteDelayMs { get; init; } = 60_000;

    /// <summary>
    /// <c>min.insync.replicas</c>: the in-sync replicas an acks=all append needs (NOT_ENOUGH_REPLICAS with fewer).
    /// Default 1.
    /// </summary>
    public int MinInSyncReplicas { get; init; } = 1;

    /// <summary>Appends wait for fsync (see <see cref="FlushMessages"/>).</summary>
    public bool IsDurable => FlushMessages == 1;
}
