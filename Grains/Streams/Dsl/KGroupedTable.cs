using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// A table's rows grouped by a new key, ready to aggregate (Kafka's <c>KGroupedTable</c>). The rows' changes go
/// through the repartition topic <c>&lt;application.id&gt;-&lt;store or grouped name&gt;-repartition</c>, so that each group is
/// aggregated by one task.
/// </summary>
public sealed class KGroupedTable<TKey, TValue>
{
    private readonly StreamsBuilder _builder;
    private readonly string _selectName;
    private readonly Grouped<TKey, TValue> _grouped;

    internal KGroupedTable(StreamsBuilder builder, string selectName, Grouped<TKey, TValue> grouped)
    {
        _builder = builder;
        _selectName = selectName;
        _grouped = grouped;
    }

    /// <summary>The number of rows in each group.</summary>
    public KTable<TKey, long> Count(Named? named = null, Materialized<TKey, long>? materialized = null)
    {
        materialized ??= new Materialized<TKey, long>();
        return Aggregate(named, materialized with { ValueSerde = materialized.ValueSerde ?? Serdes.Int64() }, "KTABLE-AGGREGATE-",
            () => 0L, (_, _, count) => count + 1, (_, _, count) => count - 1);
    }

    /// <summary>Each group's rows combined by <paramref name="adder"/> (aggregate, value); a row leaving the group is taken out by <paramref name="subtractor"/>.</summary>
    public KTable<TKey, TValue> Reduce(
        Func<TValue, TValue, TValue> adder, Func<TValue, TValue, TValue> subtractor, Named? named = null, Materialized<TKey, TValue>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(adder);
        ArgumentNullException.ThrowIfNull(subtractor);
        materialized ??= new Materialized<TKey, TValue>();
        return Aggregate(named, materialized with { ValueSerde = materialized.ValueSerde ?? _grouped.ValueSerde }, "KTABLE-REDUCE-", null,
            (_, value, aggregate) => adder(aggregate, value), (_, value, aggregate) => subtractor(aggregate, value));
    }

    /// <summary>Each group's aggregate, from <paramref name="initializer"/>, with each row added and each leaving row subtracted.</summary>
    public KTable<TKey, TAggregate> Aggregate<TAggregate>(
        Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> adder, Func<TKey, TValue, TAggregate, TAggregate> subtractor,
        Named? named = null, Materialized<TKey, TAggregate>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(adder);
        ArgumentNullException.ThrowIfNull(subtractor);
        return Aggregate(named, materialized ?? new Materialized<TKey, TAggregate>(), "KTABLE-AGGREGATE-", initializer, adder, subtractor);
    }

    private KTable<TKey, TAggregate> Aggregate<TAggregate>(
        Named? named, Materialized<TKey, TAggregate> materialized, string prefix, Func<TAggregate>? initializer,
        Func<TKey, TValue, TAggregate, TAggregate> add, Func<TKey, TValue, TAggregate, TAggregate> subtract)
    {
        // Kafka's order of generated numbers: the store, the repartition sink and source, then the aggregation.
        var storeName = materialized.StoreName ?? _builder.NewStoreName(prefix);
        var sink = named?.Name is { } given ? given + "-sink" : _builder.NewProcessorName("KSTREAM-SINK-");
        var source = named?.Name is { } sourceGiven ? sourceGiven + "-source" : _builder.NewProcessorName("KSTREAM-SOURCE-");
        var name = _builder.NameOrNew(named?.Name, prefix);
        var topic = (_grouped.Name ?? storeName) + "-repartition";
        var changes = new ChangeSerde(_grouped.ValueSerde);

        _builder.Topology.AddInternalSink(sink, topic, _grouped.KeySerde, changes, _selectName);
        _builder.Topology.AddRepartitionTopic(topic, null);
        _builder.Topology.AddSource(source, _grouped.KeySerde, changes, null, topic);
        _builder.Topology.AddProcessorNode(name, n => new TableAggregateNode<TKey, TValue, TAggregate>(n, storeName, initializer, add, subtract), source);
        var keySerde = materialized.KeySerde ?? _grouped.KeySerde;
        _builder.Topology.AddStateStore(_builder.KeyValueStore(storeName, materialized, keySerde, materialized.ValueSerde), name);
        return new KTable<TKey, TAggregate>(_builder, name, keySerde, materialized.ValueSerde, storeName, TableValueGetter.OfStore<TKey, TAggregate>(storeName));
    }
}
