using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>What windowed aggregations of grouped and cogrouped streams share: their stores and their tables.</summary>
internal static class WindowedTables
{
    /// <summary>
    /// The table of a windowed aggregation whose last node is <paramref name="name"/>: its values read from the window or
    /// session store, its updates held back until windows close by a later suppression.
    /// </summary>
    public static KTable<Windowed<TKey>, TAggregate> Table<TKey, TAggregate>(
        StreamsBuilder builder, string name, string storeName, ISerde<TKey>? keySerde, ISerde<TAggregate>? valueSerde, long closeDelayMs,
        Func<ISerde<TKey>, ISerde<Windowed<TKey>>> windowedSerde)
    {
        var getter = new TableValueGetter([storeName], task =>
        {
            var windows = task.StateManager.GetStore(storeName);
            return key =>
            {
                var windowed = (Windowed<TKey>)key;
                return windows switch
                {
                    IWindowStore<TKey, TAggregate> window => window.Fetch(windowed.Key, windowed.Window.StartMs) is { } value ? value : null,
                    ISessionStore<TKey, TAggregate> sessions => sessions.FindSessions(windowed.Key, windowed.Window.EndMs, windowed.Window.StartMs)
                        .Where(s => s.Key.Window == windowed.Window).Select(s => (object?)s.Value).FirstOrDefault(),
                    _ => null,
                };
            };
        });
        return new KTable<Windowed<TKey>, TAggregate>(builder, name, keySerde is null ? null : windowedSerde(keySerde), valueSerde, storeName, getter)
        {
            Windowed = new WindowedSuppression(
                (task, suppressStore) => new WindowedSuppressKeys<TKey>(
                    keySerde ?? SerdeDefaults.As<TKey>(task.DefaultKeySerde, "key", suppressStore), suppressStore),
                key => ((Windowed<TKey>)key).Window.EndMs,
                closeDelayMs),
        };
    }

    /// <summary>A windowed aggregation keeps its windows in a window or session store: a key-value store supplier cannot serve it.</summary>
    public static void EnsureNoKeyValueSupplier<TKey, TAggregate>(Materialized<TKey, TAggregate> materialized)
    {
        if (materialized.StoreSupplier is not null)
        {
            throw new ArgumentException("A windowed aggregation takes a store name, not a key-value store supplier");
        }
    }

    /// <summary>The window store of a time-windowed (or, <paramref name="sliding"/>, sliding-window) aggregation, checked against the windows.</summary>
    public static IStoreBuilder WindowStore<TKey, TAggregate>(
        TopologyConfig config, string storeName, Materialized<TKey, TAggregate> materialized, ISerde<TKey>? keySerde, long sizeMs, long graceMs, bool sliding)
    {
        // A sliding window spans the time difference, both ends included; its store keeps two of them, as Kafka's.
        var minimum = sliding ? 2 * sizeMs + graceMs : sizeMs + graceMs;
        var retention = materialized.Retention is { } asked ? (long)asked.TotalMilliseconds : minimum;
        if (retention < minimum)
        {
            throw new ArgumentException(!sliding
                ? $"The retention period of the window store {storeName} must be no smaller than its window size plus the grace period. "
                    + $"Got size=[{sizeMs}], grace=[{graceMs}], retention=[{retention}]"
                : $"The retention period of the window store {storeName} must be no smaller than 2 * time difference plus the grace period. "
                    + $"Got time difference=[{sizeMs}], grace=[{graceMs}], retention=[{retention}]");
        }

        var builder = Stores.WindowStoreBuilder(new WindowBytesStoreSupplier(storeName, retention, sizeMs, Persistent(config)), materialized.KeySerde ?? keySerde, materialized.ValueSerde);
        if (materialized.CachingEnabled)
        {
            builder.WithCachingEnabled();
        }

        return materialized.LoggingEnabled ? builder.WithLoggingEnabled(materialized.LogConfig) : builder.WithLoggingDisabled();
    }

    /// <summary>The session store of a session-windowed aggregation, checked against the windows.</summary>
    public static IStoreBuilder SessionStore<TKey, TAggregate>(
        TopologyConfig config, string storeName, Materialized<TKey, TAggregate> materialized, ISerde<TKey>? keySerde, SessionWindows windows)
    {
        var minimum = windows.InactivityGapMs + windows.GraceMs;
        var retention = materialized.Retention is { } asked ? (long)asked.TotalMilliseconds : minimum;
        if (retention < minimum)
        {
            throw new ArgumentException(
                $"The retention period of the session store {storeName} must be no smaller than the session inactivity gap plus the grace period. "
                + $"Got gap=[{windows.InactivityGapMs}], grace=[{windows.GraceMs}], retention=[{retention}]");
        }

        var builder = Stores.SessionStoreBuilder(new SessionBytesStoreSupplier(storeName, retention, Persistent(config)), materialized.KeySerde ?? keySerde, materialized.ValueSerde);
        if (materialized.CachingEnabled)
        {
            builder.WithCachingEnabled();
        }

        return materialized.LoggingEnabled ? builder.WithLoggingEnabled(materialized.LogConfig) : builder.WithLoggingDisabled();
    }

    /// <summary>Whether <c>default.dsl.store</c> puts the DSL's window and session stores on disk, as its key-value stores.</summary>
    private static bool Persistent(TopologyConfig config) => config.DefaultDslStore == DslStoreType.RocksDb;
}
