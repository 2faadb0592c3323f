using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.State;

/// <summary>Makes a store for each task that uses it (Kafka's <c>StoreBuilder</c>).</summary>
public interface IStoreBuilder
{
    string Name { get; }

    /// <summary>Whether the store's changes go to a changelog topic (on by default, as in Kafka).</summary>
    bool LoggingEnabled { get; }

    /// <summary>Topic configs for the changelog topic beyond <c>cleanup.policy=compact</c>.</summary>
    IReadOnlyDictionary<string, string> LogConfig { get; }

    IStateStore Build();
}

/// <summary>What every store builder shares: its name and its changelog settings.</summary>
public abstract class StoreBuilder<TSelf>(string name) : IStoreBuilder
    where TSelf : StoreBuilder<TSelf>
{
    private Dictionary<string, string> _logConfig = [];

    public string Name { get; } = name;

    public bool LoggingEnabled { get; private set; } = true;

    /// <summary>
    /// Whether the store's changes wait in the thread's record cache (<c>statestore.cache.max.bytes</c>) until a
    /// commit or an eviction writes each key's latest below and to the changelog. Off by default for stores built
    /// here, as Kafka's; on by default for the DSL's (see <c>Materialized</c>).
    /// </summary>
    public bool CachingEnabled { get; private set; }

    public IReadOnlyDictionary<string, string> LogConfig => _logConfig;

    public TSelf WithCachingEnabled()
    {
        CachingEnabled = true;
        return (TSelf)this;
    }

    public TSelf WithCachingDisabled()
    {
        CachingEnabled = false;
        return (TSelf)this;
    }

    public TSelf WithLoggingEnabled(IReadOnlyDictionary<string, string>? config = null)
    {
        LoggingEnabled = true;
        _logConfig = config is null ? [] : new Dictionary<string, string>(config);
        return (TSelf)this;
    }

    public TSelf WithLoggingDisabled()
    {
        LoggingEnabled = false;
        _logConfig = [];
        return (TSelf)this;
    }

    public abstract IStateStore Build();
}

/// <summary>Builds typed key-value stores over a byte store supplier.</summary>
public sealed class KeyValueStoreBuilder<TKey, TValue>(IKeyValueBytesStoreSupplier supplier, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde)
    : StoreBuilder<KeyValueStoreBuilder<TKey, TValue>>(supplier.Name)
{
    /// <summary>Whether the store is read by other threads than the one writing it (a global store).</summary>
    internal bool Synchronized { get; set; }

    /// <summary>Whether each value is stored with its timestamp (Kafka's <c>TimestampedKeyValueStore</c>, under the DSL's tables and aggregations).</summary>
    internal bool Timestamped { get; set; }

    public override IStateStore Build()
    {
        var bytes = supplier.Get();
        if (Synchronized)
        {
            bytes = new SynchronizedKeyValueBytesStore(bytes);
        }

        var layered = LoggingEnabled ? new ChangeLoggingKeyValueStore(bytes, Timestamped) : bytes;
        // A global store is read by other threads and written by its own, without a thread cache.
        if (CachingEnabled && !Synchronized)
        {
            layered = new CachingKeyValueStore(layered);
        }

        return new MeteredKeyValueStore<TKey, TValue>(layered, keySerde, valueSerde, Timestamped);
    }
}

/// <summary>Builds typed window stores (Kafka's <c>WindowStoreBuilder</c>).</summary>
public sealed class WindowStoreBuilder<TKey, TValue>(WindowBytesStoreSupplier supplier, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde)
    : StoreBuilder<WindowStoreBuilder<TKey, TValue>>(supplier.Name)
{
    public override IStateStore Build()
    {
        var bytes = supplier.Get(LoggingEnabled);
        return new MeteredWindowStore<TKey, TValue>(CachingEnabled ? new CachingWindowStore(bytes, supplier.RetentionMs) : bytes, keySerde, valueSerde);
    }
}

/// <summary>Builds typed session stores (Kafka's <c>SessionStoreBuilder</c>).</summary>
public sealed class SessionStoreBuilder<TKey, TValue>(SessionBytesStoreSupplier supplier, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde)
    : StoreBuilder<SessionStoreBuilder<TKey, TValue>>(supplier.Name)
{
    public override IStateStore Build()
    {
        var bytes = supplier.Get(LoggingEnabled);
        return new MeteredSessionStore<TKey, TValue>(CachingEnabled ? new CachingSessionStore(bytes, supplier.RetentionMs) : bytes, keySerde, valueSerde);
    }
}

/// <summary>A window store's name, retention and window size, and whether it keeps its windows on local disk (RocksDB) or in memory.</summary>
public sealed record WindowBytesStoreSupplier(string Name, long RetentionMs, long WindowSizeMs, bool Persistent = false)
{
    internal IWindowBytesStore Get(bool logged) => Persistent
        ? new RocksDbWindowStore(Name, RetentionMs, WindowSizeMs, logged)
        : new InMemoryWindowStore(Name, RetentionMs, WindowSizeMs, logged);
}

/// <summary>A session store's name and retention, and whether it keeps its sessions on local disk (RocksDB) or in memory.</summary>
public sealed record SessionBytesStoreSupplier(string Name, long RetentionMs, bool Persistent = false)
{
    internal ISessionBytesStore Get(bool logged) => Persistent
        ? new RocksDbSessionStore(Name, RetentionMs, logged)
        : new InMemorySessionStore(Name, RetentionMs, logged);
}

/// <summary>Store factories, as Kafka's <c>Stores</c>.</summary>
public static class Stores
{
    public static IKeyValueBytesStoreSupplier InMemoryKeyValueStore(string name) => new InMemoryKeyValueBytesStoreSupplier(name);

    /// <summary>A key-value store on local disk in RocksDB (Kafka's <c>persistentKeyValueStore</c>).</summary>
    public static IKeyValueBytesStoreSupplier PersistentKeyValueStore(string name) => new RocksDbKeyValueBytesStoreSupplier(name);

    /// <summary>A window store in memory that keeps windows whose start is within <paramref name="retention"/> of the latest.</summary>
    public static WindowBytesStoreSupplier InMemoryWindowStore(string name, TimeSpan retention, TimeSpan windowSize, bool retainDuplicates = false) =>
        WindowStore(name, retention, windowSize, retainDuplicates, persistent: false);

    /// <summary>
    /// A window store on local disk in RocksDB (Kafka's <c>persistentWindowStore</c>), cut into time segments so that
    /// expired windows go with whole files; it keeps windows whose start is within <paramref name="retention"/> of the latest.
    /// </summary>
    public static WindowBytesStoreSupplier PersistentWindowStore(string name, TimeSpan retention, TimeSpan windowSize, bool retainDuplicates = false) =>
        WindowStore(name, retention, windowSize, retainDuplicates, persistent: true);

    public static SessionBytesStoreSupplier InMemorySessionStore(string name, TimeSpan retention) =>
        new(name, (long)retention.TotalMilliseconds);

    /// <summary>A session store on local disk in RocksDB (Kafka's <c>persistentSessionStore</c>), cut into time segments by session end.</summary>
    public static SessionBytesStoreSupplier PersistentSessionStore(string name, TimeSpan retention) =>
        new(name, (long)retention.TotalMilliseconds, Persistent: true);

    public static KeyValueStoreBuilder<TKey, TValue> KeyValueStoreBuilder<TKey, TValue>(
        IKeyValueBytesStoreSupplier supplier, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde) =>
        new(supplier, keySerde, valueSerde);

    public static WindowStoreBuilder<TKey, TValue> WindowStoreBuilder<TKey, TValue>(
        WindowBytesStoreSupplier supplier, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde) =>
        new(supplier, keySerde, valueSerde);

    public static SessionStoreBuilder<TKey, TValue> SessionStoreBuilder<TKey, TValue>(
        SessionBytesStoreSupplier supplier, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde) =>
        new(supplier, keySerde, valueSerde);

    private static WindowBytesStoreSupplier WindowStore(string name, TimeSpan retention, TimeSpan windowSize, bool retainDuplicates, bool persistent)
    {
        if (retainDuplicates)
        {
            throw new NotSupportedException("Window stores that retain duplicates are not served yet");
        }

        var retentionMs = (long)retention.TotalMilliseconds;
        var sizeMs = (long)windowSize.TotalMilliseconds;
        if (sizeMs <= 0 || retentionMs < sizeMs)
        {
            throw new ArgumentException(
                $"The retention period of the window store {name} must be no smaller than its window size, which must be positive. Got size={sizeMs}, retention={retentionMs}");
        }

        return new WindowBytesStoreSupplier(name, retentionMs, sizeMs, persistent);
    }
}
