using System.Text.RegularExpressions;
using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

public sealed partial class KStream<TKey, TValue>
{
    private const string RepartitionSuffix = "-repartition";

    /// <summary>Groups the records by their key, through a repartition topic when the key may have changed.</summary>
    public KGroupedStream<TKey, TValue> GroupByKey(Grouped<TKey, TValue>? grouped = null) =>
        new(this, grouped ?? new Grouped<TKey, TValue>(), RepartitionRequired);

    /// <summary>Groups the records by a new key (always through a repartition topic).</summary>
    public KGroupedStream<TKeyOut, TValue> GroupBy<TKeyOut>(Func<TKey, TValue, TKeyOut> selector, Grouped<TKeyOut, TValue>? grouped = null)
    {
        var selected = SelectKey(selector);
        return new KGroupedStream<TKeyOut, TValue>(selected, grouped ?? new Grouped<TKeyOut, TValue>(), repartitionRequired: true);
    }

    /// <summary>Writes the stream through a repartition topic the application manages and reads it back, partitioned by key.</summary>
    public KStream<TKey, TValue> Repartition(Repartitioned<TKey, TValue>? repartitioned = null)
    {
        repartitioned ??= new Repartitioned<TKey, TValue>();
        var name = repartitioned.Name ?? _builder.NewProcessorName("KSTREAM-REPARTITION-");
        var keySerde = repartitioned.KeySerde ?? KeySerde;
        var valueSerde = repartitioned.ValueSerde ?? ValueSerde;
        var source = RepartitionedSource(name, keySerde, valueSerde, repartitioned.NumberOfPartitions, repartitioned.Partitioner);
        return new KStream<TKey, TValue>(_builder, source, keySerde, valueSerde, repartitionRequired: false);
    }

    /// <summary>The stream as a table: each record is its key's latest value, a null value deletes the key.</summary>
    public KTable<TKey, TValue> ToTable(Named? named = null, Materialized<TKey, TValue>? materialized = null)
    {
        var name = _builder.NameOrNew(named?.Name, "KSTREAM-TOTABLE-");
        materialized ??= new Materialized<TKey, TValue>();
        var storeName = materialized.StoreName ?? _builder.NewStoreName("KSTREAM-TOTABLE-");
        var keySerde = materialized.KeySerde ?? KeySerde;
        var valueSerde = materialized.ValueSerde ?? ValueSerde;
        var parent = RepartitionRequired ? RepartitionedSource(name, keySerde, valueSerde, null, null) : Name;
        _builder.Topology.AddProcessorNode(name, n => new ToTableNode<TKey, TValue>(n, storeName), parent);
        _builder.Topology.AddStateStore(_builder.KeyValueStore(storeName, materialized, keySerde, valueSerde), name);
        return new KTable<TKey, TValue>(_builder, name, keySerde, valueSerde, storeName, TableValueGetter.OfStore<TKey, TValue>(storeName));
    }

    /// <summary>
    /// Adds a filter, a sink to the repartition topic <c>&lt;prefix&gt;-repartition</c> and a source reading it, named
    /// as Kafka names them (generated names when the prefix is itself generated); returns the source's name.
    /// </summary>
    internal string RepartitionedSource(string prefix, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde, int? partitions, StreamPartitioner<TKey, TValue>? partitioner)
    {
        var topic = prefix.EndsWith(RepartitionSuffix, StringComparison.Ordinal) ? prefix : prefix + RepartitionSuffix;
        // Kafka always draws these three numbers, so later generated names agree whichever branch is taken.
        var generatedSink = _builder.NewProcessorName("KSTREAM-SINK-");
        var generatedFilter = _builder.NewProcessorName("KSTREAM-FILTER-");
        var generatedSource = _builder.NewProcessorName("KSTREAM-SOURCE-");
        var generated = GeneratedName().IsMatch(prefix);
        var sink = generated ? generatedSink : topic + "-sink";
        var filter = generated ? generatedFilter : topic + "-filter";
        var source = generated ? generatedSource : topic + "-source";

        _builder.Topology.AddProcessorNode(filter, n => new NullKeyFilterNode(n), Name);
        _builder.Topology.AddSink(sink, topic, keySerde, valueSerde, partitioner, filter);
        _builder.Topology.AddRepartitionTopic(topic, partitions);
        _builder.Topology.AddSource(source, keySerde, valueSerde, null, topic);
        return source;
    }

    [GeneratedRegex("^KSTREAM.*-[0-9]{10}$")]
    private static partial Regex GeneratedName();
}
