using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// A stream of records (Kafka's <c>KStream</c>): each operation adds a processor to the topology and returns the
/// stream after it. A stream whose key may have changed (map, selectKey, flatMap) is repartitioned by key before an
/// operation that needs its records grouped by key.
/// </summary>
public sealed partial class KStream<TKey, TValue>
{
    private readonly StreamsBuilder _builder;

    internal KStream(StreamsBuilder builder, string name, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde, bool repartitionRequired)
    {
        _builder = builder;
        Name = name;
        KeySerde = keySerde;
        ValueSerde = valueSerde;
        RepartitionRequired = repartitionRequired;
    }

    /// <summary>The name of the node this stream comes out of.</summary>
    internal string Name { get; }

    internal ISerde<TKey>? KeySerde { get; }

    internal ISerde<TValue>? ValueSerde { get; }

    internal bool RepartitionRequired { get; }

    public KStream<TKey, TValue> Filter(Func<TKey, TValue, bool> predicate, Named? named = null) =>
        Then(named, "KSTREAM-FILTER-", n => new FilterNode<TKey, TValue>(n, predicate, not: false));

    public KStream<TKey, TValue> FilterNot(Func<TKey, TValue, bool> predicate, Named? named = null) =>
        Then(named, "KSTREAM-FILTER-", n => new FilterNode<TKey, TValue>(n, predicate, not: true));

    public KStream<TKeyOut, TValueOut> Map<TKeyOut, TValueOut>(Func<TKey, TValue, KeyValue<TKeyOut, TValueOut>> mapper, Named? named = null) =>
        Then<TKeyOut, TValueOut>(named, "KSTREAM-MAP-", n => new MapNode<TKey, TValue, TKeyOut, TValueOut>(n, mapper), null, null, repartition: true);

    public KStream<TKey, TValueOut> MapValues<TValueOut>(Func<TValue, TValueOut> mapper, Named? named = null) =>
        MapValues<TValueOut>((_, value) => mapper(value), named);

    public KStream<TKey, TValueOut> MapValues<TValueOut>(Func<TKey, TValue, TValueOut> mapper, Named? named = null) =>
        Then<TKey, TValueOut>(named, "KSTREAM-MAPVALUES-", n => new MapValuesNode<TKey, TValue, TValueOut>(n, mapper), KeySerde, null, RepartitionRequired);

    public KStream<TKeyOut, TValueOut> FlatMap<TKeyOut, TValueOut>(
        Func<TKey, TValue, IEnumerable<KeyValue<TKeyOut, TValueOut>>> mapper, Named? named = null) =>
        Then<TKeyOut, TValueOut>(named, "KSTREAM-FLATMAP-", n => new FlatMapNode<TKey, TValue, TKeyOut, TValueOut>(n, mapper), null, null, repartition: true);

    public KStream<TKey, TValueOut> FlatMapValues<TValueOut>(Func<TValue, IEnumerable<TValueOut>> mapper, Named? named = null) =>
        FlatMapValues<TValueOut>((_, value) => mapper(value), named);

    public KStream<TKey, TValueOut> FlatMapValues<TValueOut>(Func<TKey, TValue, IEnumerable<TValueOut>> mapper, Named? named = null) =>
        Then<TKey, TValueOut>(
            named, "KSTREAM-FLATMAPVALUES-", n => new FlatMapValuesNode<TKey, TValue, TValueOut>(n, mapper), KeySerde, null, RepartitionRequired);

    public KStream<TKeyOut, TValue> SelectKey<TKeyOut>(Func<TKey, TValue, TKeyOut> selector, Named? named = null) =>
        Then<TKeyOut, TValue>(named, "KSTREAM-KEY-SELECT-", n => new KeySelectNode<TKey, TValue, TKeyOut>(n, selector), null, ValueSerde, repartition: true);

    public KStream<TKey, TValue> Peek(Action<TKey, TValue> action, Named? named = null) =>
        Then(named, "KSTREAM-PEEK-", n => new PeekNode<TKey, TValue>(n, action, forward: true));

    /// <summary>Calls <paramref name="action"/> for each record; a terminal operation.</summary>
    public void Foreach(Action<TKey, TValue> action, Named? named = null) =>
        Then(named, "KSTREAM-FOREACH-", n => new PeekNode<TKey, TValue>(n, action, forward: false));

    /// <summary>The records of this stream and of <paramref name="other"/> as one stream.</summary>
    public KStream<TKey, TValue> Merge(KStream<TKey, TValue> other, Named? named = null)
    {
        var name = _builder.NameOrNew(named?.Name, "KSTREAM-MERGE-");
        _builder.Topology.AddProcessorNode(name, n => new PassThroughNode(n), Name, other.Name);
        return new KStream<TKey, TValue>(_builder, name, KeySerde, ValueSerde, RepartitionRequired || other.RepartitionRequired);
    }

    /// <summary>Splits the stream by predicates into branches (Kafka's <c>split()</c>).</summary>
    public BranchedKStream<TKey, TValue> Split(Named? named = null) =>
        new(_builder, this, _builder.NameOrNew(named?.Name, "KSTREAM-BRANCH-"));

    /// <summary>Writes the records to <paramref name="topic"/>.</summary>
    public void To(string topic, Produced<TKey, TValue>? produced = null)
    {
        produced ??= new Produced<TKey, TValue>();
        var name = _builder.NameOrNew(produced.ProcessorName, "KSTREAM-SINK-");
        _builder.Topology.AddSink(name, topic, produced.KeySerde ?? KeySerde, produced.ValueSerde ?? ValueSerde, produced.Partitioner, Name);
    }

    /// <summary>Writes each record to the topic <paramref name="extractor"/> chooses for it.</summary>
    public void To(TopicNameExtractor<TKey, TValue> extractor, Produced<TKey, TValue>? produced = null)
    {
        produced ??= new Produced<TKey, TValue>();
        var name = _builder.NameOrNew(produced.ProcessorName, "KSTREAM-SINK-");
        _builder.Topology.AddSink(name, extractor, produced.KeySerde ?? KeySerde, produced.ValueSerde ?? ValueSerde, produced.Partitioner, Name);
    }

    /// <summary>Runs a processor of the processor API on each record, with access to the named stores.</summary>
    public KStream<TKeyOut, TValueOut> Process<TKeyOut, TValueOut>(
        Func<IProcessor<TKey, TValue, TKeyOut, TValueOut>> supplier, Named? named = null, params string[] stateStoreNames)
    {
        // Kafka's process() draws a number only for a name it makes.
        var name = named?.Name ?? _builder.NewProcessorName("KSTREAM-PROCESSOR-");
        _builder.Topology.AddProcessor(name, supplier, Name);
        if (stateStoreNames.Length > 0)
        {
            _builder.Topology.ConnectProcessorAndStateStores(name, stateStoreNames);
        }

        return new KStream<TKeyOut, TValueOut>(_builder, name, null, null, repartitionRequired: true);
    }

    internal KStream<TKey, TValue> Then(Named? named, string prefix, Func<string, ProcessorNode> make) =>
        Then(named, prefix, make, KeySerde, ValueSerde, RepartitionRequired);

    internal KStream<TKeyOut, TValueOut> Then<TKeyOut, TValueOut>(
        Named? named, string prefix, Func<string, ProcessorNode> make, ISerde<TKeyOut>? keySerde, ISerde<TValueOut>? valueSerde, bool repartition)
    {
        var name = _builder.NameOrNew(named?.Name, prefix);
        _builder.Topology.AddProcessorNode(name, make, Name);
        return new KStream<TKeyOut, TValueOut>(_builder, name, keySerde, valueSerde, repartition);
    }

    internal StreamsBuilder Builder => _builder;
}
