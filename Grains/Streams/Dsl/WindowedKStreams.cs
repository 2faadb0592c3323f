using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// A grouped stream cut into fixed-size or sliding time windows, ready to aggregate per key and window (Kafka's
/// <c>TimeWindowedKStream</c>).
/// </summary>
public sealed class TimeWindowedKStream<TKey, TValue>
{
    private readonly WindowedAggregation<TKey, TValue> _aggregation;
    private readonly TimeWindows? _windows;
    private readonly SlidingWindows? _sliding;

    internal TimeWindowedKStream(WindowedAggregation<TKey, TValue> aggregation, TimeWindows windows)
    {
        _aggregation = aggregation;
        _windows = windows;
    }

    internal TimeWindowedKStream(WindowedAggregation<TKey, TValue> aggregation, SlidingWindows windows)
    {
        _aggregation = aggregation;
        _sliding = windows;
    }

    public KTable<Windowed<TKey>, long> Count(Named? named = null, Materialized<TKey, long>? materialized = null)
    {
        materialized ??= new Materialized<TKey, long>();
        return Aggregate(named, materialized with { ValueSerde = materialized.ValueSerde ?? Serdes.Int64() }, "KSTREAM-AGGREGATE-", () => 0L, (_, _, count) => count + 1);
    }

    public KTable<Windowed<TKey>, TValue> Reduce(Func<TValue, TValue, TValue> reducer, Named? named = null, Materialized<TKey, TValue>? materialized = null)
    {
        materialized ??= new Materialized<TKey, TValue>();
        return Aggregate(named, materialized with { ValueSerde = materialized.ValueSerde ?? _aggregation.ValueSerde }, "KSTREAM-REDUCE-", null,
            (_, value, aggregate) => reducer(aggregate, value));
    }

    public KTable<Windowed<TKey>, TAggregate> Aggregate<TAggregate>(
        Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator, Named? named = null, Materialized<TKey, TAggregate>? materialized = null) =>
        Aggregate(named, materialized ?? new Materialized<TKey, TAggregate>(), "KSTREAM-AGGREGATE-", initializer, aggregator);

    private KTable<Windowed<TKey>, TAggregate> Aggregate<TAggregate>(
        Named? named, Materialized<TKey, TAggregate> materialized, string prefix, Func<TAggregate>? initializer, Func<TKey, TValue, TAggregate, TAggregate> add)
    {
        var (sizeMs, graceMs) = _sliding is { } sliding ? (sliding.TimeDifferenceMs, sliding.GraceMs) : (_windows!.SizeMs, _windows.GraceMs);
        return _aggregation.Build(named, materialized, prefix, graceMs,
            storeName => WindowedTables.WindowStore(_aggregation.Builder.Config, storeName, materialized, _aggregation.KeySerde, sizeMs, graceMs, _sliding is not null),
            (name, storeName) => _sliding is { } slides
                ? new SlidingWindowAggregateNode<TKey, TValue, TAggregate>(name, storeName, slides, initializer, add)
                : new TimeWindowAggregateNode<TKey, TValue, TAggregate>(name, storeName, _windows!, initializer, add),
            inner => WindowedSerdes.TimeWindowedSerdeFrom(inner, TimeSpan.FromMilliseconds(sizeMs)));
    }
}

/// <summary>A grouped stream cut into sessions of activity, ready to aggregate per key and session (Kafka's <c>SessionWindowedKStream</c>).</summary>
public sealed class SessionWindowedKStream<TKey, TValue>
{
    private readonly WindowedAggregation<TKey, TValue> _aggregation;
    private readonly SessionWindows _windows;

    internal SessionWindowedKStream(WindowedAggregation<TKey, TValue> aggregation, SessionWindows windows)
    {
        _aggregation = aggregation;
        _windows = windows;
    }

    public KTable<Windowed<TKey>, long> Count(Named? named = null, Materialized<TKey, long>? materialized = null)
    {
        materialized ??= new Materialized<TKey, long>();
        return Aggregate(named, materialized with { ValueSerde = materialized.ValueSerde ?? Serdes.Int64() }, "KSTREAM-AGGREGATE-",
            () => 0L, (_, _, count) => count + 1, (_, left, right) => left + right);
    }

    public KTable<Windowed<TKey>, TValue> Reduce(Func<TValue, TValue, TValue> reducer, Named? named = null, Materialized<TKey, TValue>? materialized = null)
    {
        materialized ??= new Materialized<TKey, TValue>();
        return Aggregate(named, materialized with { ValueSerde = materialized.ValueSerde ?? _aggregation.ValueSerde }, "KSTREAM-REDUCE-", null,
            (_, value, aggregate) => reducer(aggregate, value), (_, left, right) => reducer(left, right));
    }

    /// <param name="merger">combines the aggregates of two sessions that a record joins into one</param>
    public KTable<Windowed<TKey>, TAggregate> Aggregate<TAggregate>(
        Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator, Func<TKey, TAggregate, TAggregate, TAggregate> merger,
        Named? named = null, Materialized<TKey, TAggregate>? materialized = null) =>
        Aggregate(named, materialized ?? new Materialized<TKey, TAggregate>(), "KSTREAM-AGGREGATE-", initializer, aggregator, merger);

    private KTable<Windowed<TKey>, TAggregate> Aggregate<TAggregate>(
        Named? named, Materialized<TKey, TAggregate> materialized, string prefix, Func<TAggregate>? initializer,
        Func<TKey, TValue, TAggregate, TAggregate> add, Func<TKey, TAggregate, TAggregate, TAggregate> merge)
    {
        return _aggregation.Build(named, materialized, prefix, _windows.GraceMs + _windows.InactivityGapMs,
            storeName => WindowedTables.SessionStore(_aggregation.Builder.Config, storeName, materialized, _aggregation.KeySerde, _windows),
            (name, storeName) => new SessionWindowAggregateNode<TKey, TValue, TAggregate>(name, storeName, _windows, initializer, add, merge),
            WindowedSerdes.SessionWindowedSerdeFrom);
    }
}
