using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>Cogrouped streams cut into fixed-size or sliding windows (Kafka's <c>TimeWindowedCogroupedKStream</c>).</summary>
public sealed class TimeWindowedCogroupedKStream<TKey, TAggregate>
{
    private readonly CogroupedKStream<TKey, TAggregate> _cogrouped;
    private readonly TimeWindows? _windows;
    private readonly SlidingWindows? _sliding;

    internal TimeWindowedCogroupedKStream(CogroupedKStream<TKey, TAggregate> cogrouped, TimeWindows? windows, SlidingWindows? sliding)
    {
        _cogrouped = cogrouped;
        _windows = windows;
        _sliding = sliding;
    }

    /// <summary>Folds every stream's records into each key's aggregate per window, each window starting from <paramref name="initializer"/>.</summary>
    public KTable<Windowed<TKey>, TAggregate> Aggregate(Func<TAggregate> initializer, Named? named = null, Materialized<TKey, TAggregate>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        materialized ??= new Materialized<TKey, TAggregate>();
        WindowedTables.EnsureNoKeyValueSupplier(materialized);
        var keySerde = materialized.KeySerde ?? _cogrouped.KeySerde;
        var (sizeMs, graceMs) = _sliding is { } sliding ? (sliding.TimeDifferenceMs, sliding.GraceMs) : (_windows!.SizeMs, _windows.GraceMs);
        return _cogrouped.Build(
            named, materialized,
            storeName => WindowedTables.WindowStore(_cogrouped.Builder.Config, storeName, materialized, keySerde, sizeMs, graceMs, _sliding is not null),
            (input, name, storeName) => _sliding is { } slides
                ? input.Sliding(name, storeName, slides, initializer)
                : input.TimeWindowed(name, storeName, _windows!, initializer),
            (merge, storeName) => WindowedTables.Table<TKey, TAggregate>(
                _cogrouped.Builder, merge, storeName, keySerde, materialized.ValueSerde, graceMs,
                inner => WindowedSerdes.TimeWindowedSerdeFrom(inner, TimeSpan.FromMilliseconds(sizeMs))));
    }
}

/// <summary>Cogrouped streams cut into sessions of activity (Kafka's <c>SessionWindowedCogroupedKStream</c>).</summary>
public sealed class SessionWindowedCogroupedKStream<TKey, TAggregate>
{
    private readonly CogroupedKStream<TKey, TAggregate> _cogrouped;
    private readonly SessionWindows _windows;

    internal SessionWindowedCogroupedKStream(CogroupedKStream<TKey, TAggregate> cogrouped, SessionWindows windows)
    {
        _cogrouped = cogrouped;
        _windows = windows;
    }

    /// <param name="merger">combines the aggregates of two sessions that a record joins into one</param>
    public KTable<Windowed<TKey>, TAggregate> Aggregate(
        Func<TAggregate> initializer, Func<TKey, TAggregate, TAggregate, TAggregate> merger, Named? named = null, Materialized<TKey, TAggregate>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(merger);
        materialized ??= new Materialized<TKey, TAggregate>();
        WindowedTables.EnsureNoKeyValueSupplier(materialized);
        var keySerde = materialized.KeySerde ?? _cogrouped.KeySerde;
        return _cogrouped.Build(
            named, materialized,
            storeName => WindowedTables.SessionStore(_cogrouped.Builder.Config, storeName, materialized, keySerde, _windows),
            (input, name, storeName) => input.Session(name, storeName, _windows, initializer, merger),
            (merge, storeName) => WindowedTables.Table<TKey, TAggregate>(
                _cogrouped.Builder, merge, storeName, keySerde, materialized.ValueSerde, _windows.GraceMs + _windows.InactivityGapMs,
                WindowedSerdes.SessionWindowedSerdeFrom));
    }
}
