using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

// The DSL's parameter objects, named as Kafka's: each says how one operation reads, writes, names or stores.
// A null serde means the application's default.

/// <summary>The name of a DSL operation's processor (Kafka's <c>Named</c>).</summary>
public sealed record Named(string Name)
{
    public static Named As(string name) => new(name);
}

/// <summary>How a source reads its topic (Kafka's <c>Consumed</c>).</summary>
public sealed record Consumed<TKey, TValue>(
    ISerde<TKey>? KeySerde = null, ISerde<TValue>? ValueSerde = null, ITimestampExtractor? TimestampExtractor = null, string? ProcessorName = null)
{
    public Consumed<TKey, TValue> WithTimestampExtractor(ITimestampExtractor extractor) => this with { TimestampExtractor = extractor };

    public Consumed<TKey, TValue> WithName(string name) => this with { ProcessorName = name };
}

public static class Consumed
{
    public static Consumed<TKey, TValue> With<TKey, TValue>(ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde) => new(keySerde, valueSerde);
}

/// <summary>How a sink writes its topic (Kafka's <c>Produced</c>).</summary>
public sealed record Produced<TKey, TValue>(
    ISerde<TKey>? KeySerde = null, ISerde<TValue>? ValueSerde = null, StreamPartitioner<TKey, TValue>? Partitioner = null, string? ProcessorName = null)
{
    public Produced<TKey, TValue> WithStreamPartitioner(StreamPartitioner<TKey, TValue> partitioner) => this with { Partitioner = partitioner };

    public Produced<TKey, TValue> WithName(string name) => this with { ProcessorName = name };
}

public static class Produced
{
    public static Produced<TKey, TValue> With<TKey, TValue>(ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde) => new(keySerde, valueSerde);
}

/// <summary>How a grouping repartitions: serdes and the repartition topic's name (Kafka's <c>Grouped</c>).</summary>
public sealed record Grouped<TKey, TValue>(ISerde<TKey>? KeySerde = null, ISerde<TValue>? ValueSerde = null, string? Name = null)
{
    public Grouped<TKey, TValue> WithName(string name) => this with { Name = name };
}

public static class Grouped
{
    public static Grouped<TKey, TValue> With<TKey, TValue>(ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde) => new(keySerde, valueSerde);

    public static Grouped<TKey, TValue> As<TKey, TValue>(string name) => new(Name: name);
}

/// <summary>How an explicit repartition writes its topic (Kafka's <c>Repartitioned</c>).</summary>
public sealed record Repartitioned<TKey, TValue>(
    ISerde<TKey>? KeySerde = null, ISerde<TValue>? ValueSerde = null, string? Name = null, int? NumberOfPartitions = null,
    StreamPartitioner<TKey, TValue>? Partitioner = null)
{
    public Repartitioned<TKey, TValue> WithNumberOfPartitions(int partitions) => this with { NumberOfPartitions = partitions };

    public Repartitioned<TKey, TValue> WithName(string name) => this with { Name = name };
}

/// <summary>How a table's store is kept: its name (queryable), serdes, changelog (Kafka's <c>Materialized</c>).</summary>
public sealed record Materialized<TKey, TValue>(
    string? StoreName = null, ISerde<TKey>? KeySerde = null, ISerde<TValue>? ValueSerde = null, IKeyValueBytesStoreSupplier? StoreSupplier = null)
{
    public bool LoggingEnabled { get; init; } = true;

    /// <summary>
    /// Whether the store's changes wait in the thread's record cache, so that the store's changelog and the
    /// operation's downstream get each key's latest change once per commit (on by default, as Kafka's DSL).
    /// </summary>
    public bool CachingEnabled { get; init; } = true;

    public IReadOnlyDictionary<string, string> LogConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>How long a window store keeps windows (at least window size plus grace, the default).</summary>
    public TimeSpan? Retention { get; init; }

    public Materialized<TKey, TValue> WithRetention(TimeSpan retention) => this with { Retention = retention };

    public Materialized<TKey, TValue> WithKeySerde(ISerde<TKey> serde) => this with { KeySerde = serde };

    public Materialized<TKey, TValue> WithValueSerde(ISerde<TValue> serde) => this with { ValueSerde = serde };

    public Materialized<TKey, TValue> WithLoggingEnabled(IReadOnlyDictionary<string, string>? config = null) =>
        this with { LoggingEnabled = true, LogConfig = config ?? new Dictionary<string, string>() };

    public Materialized<TKey, TValue> WithLoggingDisabled() => this with { LoggingEnabled = false };

    public Materialized<TKey, TValue> WithCachingEnabled() => this with { CachingEnabled = true };

    public Materialized<TKey, TValue> WithCachingDisabled() => this with { CachingEnabled = false };
}

public static class Materialized
{
    public static Materialized<TKey, TValue> As<TKey, TValue>(string storeName) => new(storeName);

    public static Materialized<TKey, TValue> As<TKey, TValue>(IKeyValueBytesStoreSupplier supplier) => new(supplier.Name, StoreSupplier: supplier);

    public static Materialized<TKey, TValue> With<TKey, TValue>(ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde) => new(null, keySerde, valueSerde);
}

/// <summary>A branch of a split: its name and what to do with it (Kafka's <c>Branched</c>).</summary>
public sealed record Branched<TKey, TValue>(string? Name = null, Func<KStream<TKey, TValue>, KStream<TKey, TValue>?>? Chain = null)
{
    public static Branched<TKey, TValue> As(string name) => new(name);

    public static Branched<TKey, TValue> WithFunction(Func<KStream<TKey, TValue>, KStream<TKey, TValue>?> chain, string? name = null) => new(name, chain);

    public static Branched<TKey, TValue> WithConsumer(Action<KStream<TKey, TValue>> consumer, string? name = null) =>
        new(name, stream =>
        {
            consumer(stream);
            return null;
        });
}

/// <summary>
/// How a stream-table join repartitions the stream when it must: serdes and a name (Kafka's <c>Joined</c>; the
/// table's values are read from its store, so no serde of theirs is needed).
/// </summary>
public sealed record Joined<TKey, TValue, TOther>(ISerde<TKey>? KeySerde = null, ISerde<TValue>? ValueSerde = null, string? Name = null);

/// <summary>How a table's updates are held back (Kafka's <c>Suppressed</c>).</summary>
public sealed record Suppressed
{
    private Suppressed(long? timeLimitMs, BufferConfig buffer)
    {
        TimeLimitMs = timeLimitMs;
        Buffer = buffer;
    }

    public string? Name { get; private init; }

    /// <summary>How long a key's first held-back update waits for more; null until its window closes.</summary>
    internal long? TimeLimitMs { get; }

    internal BufferConfig Buffer { get; }

    /// <summary>
    /// One final result per window of a windowed table, when the window closes (its end plus grace has passed in
    /// stream time). The buffer must not emit early (Kafka's <c>StrictBufferConfig</c>): unbounded, as
    /// <c>BufferConfig.unbounded()</c> by default, or bounded with <see cref="BufferConfig.ShutDownWhenFull"/>.
    /// </summary>
    public static Suppressed UntilWindowCloses(BufferConfig? buffer = null)
    {
        buffer ??= BufferConfig.Unbounded();
        if (!buffer.ShutDownWhenFull)
        {
            throw new ArgumentException("Suppression until windows close takes a strict buffer (unbounded, or one that shuts down when full): emitting early would not be final");
        }

        return new Suppressed(null, buffer);
    }

    /// <summary>
    /// Each key's latest update once <paramref name="timeToWaitForMoreEvents"/> of stream time has passed since the
    /// first update it held back (Kafka's <c>untilTimeLimit</c>), or earlier when a bounded buffer that emits early is full.
    /// </summary>
    public static Suppressed UntilTimeLimit(TimeSpan timeToWaitForMoreEvents, BufferConfig buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var limitMs = (long)timeToWaitForMoreEvents.TotalMilliseconds;
        if (limitMs < 0)
        {
            throw new ArgumentException($"The time to wait for more events must not be negative: got {limitMs} ms");
        }

        return new Suppressed(limitMs, buffer);
    }

    public Suppressed WithName(string name) => this with { Name = name };
}

/// <summary>How much a suppression may hold back, and what it does when that is reached (Kafka's <c>Suppressed.BufferConfig</c>).</summary>
public sealed record BufferConfig
{
    private BufferConfig(long maxRecords, long maxBytes, bool shutDownWhenFull)
    {
        if (maxRecords < 0 || maxBytes < 0)
        {
            throw new ArgumentException($"A suppression buffer's limits must not be negative: got {maxRecords} records, {maxBytes} bytes");
        }

        MaxRecords = maxRecords;
        MaxBytes = maxBytes;
        ShutDownWhenFull = shutDownWhenFull;
    }

    public long MaxRecords { get; }

    public long MaxBytes { get; }

    /// <summary>Whether a full buffer stops the application (true) or emits its oldest keys early (false).</summary>
    public bool ShutDownWhenFull { get; }

    /// <summary>No limit; nothing is ever emitted early (Kafka's <c>unbounded()</c>, a strict buffer).</summary>
    public static BufferConfig Unbounded() => new(long.MaxValue, long.MaxValue, shutDownWhenFull: true);

    /// <summary>At most <paramref name="records"/> keys held; the oldest emitted early beyond (Kafka's <c>maxRecords</c>).</summary>
    public static BufferConfig MaxRecordsOf(long records) => new(records, long.MaxValue, shutDownWhenFull: false);

    /// <summary>At most <paramref name="bytes"/> held (keys, values and two times per key); the oldest emitted early beyond (Kafka's <c>maxBytes</c>).</summary>
    public static BufferConfig MaxBytesOf(long bytes) => new(long.MaxValue, bytes, shutDownWhenFull: false);

    public BufferConfig WithMaxRecords(long records) => new(records, MaxBytes, ShutDownWhenFull);

    public BufferConfig WithMaxBytes(long bytes) => new(MaxRecords, bytes, ShutDownWhenFull);

    public BufferConfig EmitEarlyWhenFull() => new(MaxRecords, MaxBytes, shutDownWhenFull: false);

    public BufferConfig WithShutDownWhenFull() => new(MaxRecords, MaxBytes, shutDownWhenFull: true);
}
