using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>A stream grouped by key, ready to aggregate into a table (Kafka's <c>KGroupedStream</c>).</summary>
public sealed class KGroupedStream<TKey, TValue>
{
    private readonly KStream<TKey, TValue> _stream;
    private readonly Grouped<TKey, TValue> _grouped;
    private readonly bool _repartitionRequired;

    internal KGroupedStream(KStream<TKey, TValue> stream, Grouped<TKey, TValue> grouped, bool repartitionRequired)
    {
        _stream = stream;
        _grouped = grouped;
        _repartitionRequired = repartitionRequired;
    }

    /// <summary>Cuts the stream into fixed-size (tumbling or hopping) windows.</summary>
    public TimeWindowedKStream<TKey, TValue> WindowedBy(TimeWindows windows) =>
        new(new WindowedAggregation<TKey, TValue>(_stream, _grouped, _repartitionRequired), windows);

    /// <summary>Cuts the stream into sliding windows: one per distinct set of records within the time difference of each other.</summary>
    public TimeWindowedKStream<TKey, TValue> WindowedBy(SlidingWindows windows) =>
        new(new WindowedAggregation<TKey, TValue>(_stream, _grouped, _repartitionRequired), windows);

    /// <summary>Cuts the stream into sessions of activity per key.</summary>
    public SessionWindowedKStream<TKey, TValue> WindowedBy(SessionWindows windows) =>
        new(new WindowedAggregation<TKey, TValue>(_stream, _grouped, _repartitionRequired), windows);

    internal ISerde<TKey>? KeySerde => _grouped.KeySerde ?? _stream.KeySerde;

    private ISerde<TValue>? ValueSerde => _grouped.ValueSerde ?? _stream.ValueSerde;

    internal StreamsBuilder Builder => _stream.Builder;

    /// <summary>
    /// Starts an aggregation of several grouped streams into one table: each stream folds its values into the same
    /// aggregate with its own aggregator (Kafka's <c>cogroup</c>). Add the others with <see cref="CogroupedKStream{TKey,TAggregate}.Cogroup{TValue}"/>.
    /// </summary>
    public CogroupedKStream<TKey, TAggregate> Cogroup<TAggregate>(Func<TKey, TValue, TAggregate, TAggregate> aggregator)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        return new CogroupedKStream<TKey, TAggregate>(_stream.Builder).Cogroup(this, aggregator);
    }

    /// <summary>The node an aggregation into <paramref name="storeName"/> reads from: a repartition topic's source when the key may have changed.</summary>
    internal string AggregationParent(string storeName) =>
        _repartitionRequired ? _stream.RepartitionedSource(_grouped.Name ?? storeName, KeySerde, ValueSerde, null, null) : _stream.Name;

    /// <summary>The number of records per key (null keys and values are skipped).</summary>
    public KTable<TKey, long> Count(Named? named = null, Materialized<TKey, long>? materialized = null)
    {
        materialized ??= new Materialized<TKey, long>();
        materialized = materialized with { ValueSerde = materialized.ValueSerde ?? Serdes.Int64() };
        return Aggregate(named, materialized, "KSTREAM-AGGREGATE-", (_, _) => 0L, (_, _, count) => count + 1);
    }

    /// <summary>Combines the values of each key, starting from its first value.</summary>
    public KTable<TKey, TValue> Reduce(Func<TValue, TValue, TValue> reducer, Named? named = null, Materialized<TKey, TValue>? materialized = null)
    {
        materialized ??= new Materialized<TKey, TValue>();
        materialized = materialized with { ValueSerde = materialized.ValueSerde ?? ValueSerde };
        return Aggregate(named, materialized, "KSTREAM-REDUCE-", null, (_, value, aggregate) => reducer(aggregate, value));
    }

    /// <summary>Folds the values of each key into an aggregate that starts from <paramref name="initializer"/>.</summary>
    public KTable<TKey, TAggregate> Aggregate<TAggregate>(
        Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator, Named? named = null,
        Materialized<TKey, TAggregate>? materialized = null) =>
        Aggregate(named, materialized ?? new Materialized<TKey, TAggregate>(), "KSTREAM-AGGREGATE-", (_, _) => initializer(), aggregator);

    private KTable<TKey, TAggregate> Aggregate<TAggregate>(
        Named? named, Materialized<TKey, TAggregate> materialized, string prefix, Func<TKey, TValue, TAggregate>? initialize,
        Func<TKey, TValue, TAggregate, TAggregate> add)
    {
        var builder = _stream.Builder;
        // Kafka's order of generated numbers: the store, then the processor, then the repartition nodes.
        var storeName = materialized.StoreName ?? builder.NewStoreName(prefix);
        var name = builder.NameOrNew(named?.Name, prefix);
        var keySerde = materialized.KeySerde ?? KeySerde;
        var parent = AggregationParent(storeName);
        builder.Topology.AddProcessorNode(name, n => new AggregateNode<TKey, TValue, TAggregate>(n, storeName, initialize, add), parent);
        builder.Topology.AddStateStore(builder.KeyValueStore(storeName, materialized, keySerde, materialized.ValueSerde), name);
        return new KTable<TKey, TAggregate>(builder, name, keySerde, materialized.ValueSerde, storeName, TableValueGetter.OfStore<TKey, TAggregate>(storeName));
    }
}
