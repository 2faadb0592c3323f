using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// Grouped streams, of any value types, that fold into one aggregate per key in one store (Kafka's
/// <c>CogroupedKStream</c>). Each stream has its aggregator; a record of any of them updates the key's aggregate
/// and the table emits the new value. Cheaper and simpler than aggregating each stream and joining the tables.
/// </summary>
public sealed class CogroupedKStream<TKey, TAggregate>
{
    private const string AggregatePrefix = "COGROUPKSTREAM-AGGREGATE-";
    private const string MergePrefix = "COGROUPKSTREAM-MERGE-";

    private readonly StreamsBuilder _builder;
    private readonly List<ICogroupInput<TKey, TAggregate>> _inputs = [];

    internal CogroupedKStream(StreamsBuilder builder) => _builder = builder;

    /// <summary>Adds a grouped stream and how its values fold into the aggregate; the same stream again replaces its aggregator, as in Kafka.</summary>
    public CogroupedKStream<TKey, TAggregate> Cogroup<TValue>(KGroupedStream<TKey, TValue> grouped, Func<TKey, TValue, TAggregate, TAggregate> aggregator)
    {
        ArgumentNullException.ThrowIfNull(grouped);
        ArgumentNullException.ThrowIfNull(aggregator);
        if (!ReferenceEquals(grouped.Builder, _builder))
        {
            throw new ArgumentException("The grouped streams of a cogroup must come from the same StreamsBuilder", nameof(grouped));
        }

        var input = new CogroupInput<TKey, TValue, TAggregate>(grouped, aggregator);
        var index = _inputs.FindIndex(i => ReferenceEquals(i.Grouped, grouped));
        if (index >= 0)
        {
            _inputs[index] = input;
        }
        else
        {
            _inputs.Add(input);
        }

        return this;
    }

    /// <summary>Folds every stream's records into each key's aggregate, which starts from <paramref name="initializer"/>.</summary>
    public KTable<TKey, TAggregate> Aggregate(Func<TAggregate> initializer, Named? named = null, Materialized<TKey, TAggregate>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        materialized ??= new Materialized<TKey, TAggregate>();
        var keySerde = materialized.KeySerde ?? KeySerde;
        return Build(
            named, materialized,
            storeName => _builder.KeyValueStore(storeName, materialized, keySerde, materialized.ValueSerde),
            (input, name, storeName) => input.Aggregate(name, storeName, initializer),
            (merge, storeName) => new KTable<TKey, TAggregate>(
                _builder, merge, keySerde, materialized.ValueSerde, storeName, TableValueGetter.OfStore<TKey, TAggregate>(storeName)));
    }

    /// <summary>Cuts the cogrouped streams into fixed-size time windows (Kafka's <c>windowedBy(Windows)</c>).</summary>
    public TimeWindowedCogroupedKStream<TKey, TAggregate> WindowedBy(TimeWindows windows) => new(this, windows, null);

    /// <summary>Cuts the cogrouped streams into sliding windows.</summary>
    public TimeWindowedCogroupedKStream<TKey, TAggregate> WindowedBy(SlidingWindows windows) => new(this, null, windows);

    /// <summary>Cuts the cogrouped streams into sessions of activity per key.</summary>
    public SessionWindowedCogroupedKStream<TKey, TAggregate> WindowedBy(SessionWindows windows) => new(this, windows);

    internal StreamsBuilder Builder => _builder;

    /// <summary>Kafka leaves the key serde to the store's Materialized; the grouped streams' is the better default.</summary>
    internal ISerde<TKey>? KeySerde => _inputs.Select(i => i.KeySerde).FirstOrDefault(s => s is not null);

    /// <summary>
    /// Adds the store, the repartitions the streams need, each stream's aggregating node and the merge, in Kafka's
    /// order of generated numbers; <paramref name="table"/> makes the result from the merge's and the store's names.
    /// </summary>
    internal TTable Build<TTable>(
        Named? named, Materialized<TKey, TAggregate> materialized, Func<string, IStoreBuilder> store,
        Func<ICogroupInput<TKey, TAggregate>, string, string, ProcessorNode> node, Func<string, string, TTable> table)
    {
        if (_inputs.Count == 0)
        {
            throw new InvalidOperationException("A cogroup needs at least one grouped stream");
        }

        var storeName = materialized.StoreName ?? _builder.NewStoreName(AggregatePrefix);
        var parents = _inputs.Select(i => i.Parent(storeName)).ToList();
        _builder.Topology.AddCopartitionGroup([.. parents]);

        var processors = new List<string>();
        for (var i = 0; i < _inputs.Count; i++)
        {
            var name = _builder.NameOrNew(named is null ? null : named.Name + "-cogroup-agg-" + i, AggregatePrefix);
            var input = _inputs[i];
            _builder.Topology.AddProcessorNode(name, n => node(input, n, storeName), parents[i]);
            processors.Add(name);
        }

        _builder.Topology.AddStateStore(store(storeName), [.. processors]);
        var merge = _builder.NameOrNew(named is null ? null : named.Name + "-cogroup-merge", MergePrefix);
        _builder.Topology.AddProcessorNode(merge, n => new PassThroughNode(n), [.. processors]);
        return table(merge, storeName);
    }
}

/// <summary>One grouped stream of a cogroup, with its aggregator: the nodes that fold its records, whatever its value type.</summary>
internal interface ICogroupInput<TKey, TAggregate>
{
    object Grouped { get; }

    ISerde<TKey>? KeySerde { get; }

    /// <summary>The node the stream's aggregation reads from: a repartition topic's source when its key may have changed.</summary>
    string Parent(string storeName);

    ProcessorNode Aggregate(string name, string storeName, Func<TAggregate> initializer);

    ProcessorNode TimeWindowed(string name, string storeName, TimeWindows windows, Func<TAggregate> initializer);

    ProcessorNode Sliding(string name, string storeName, SlidingWindows windows, Func<TAggregate> initializer);

    ProcessorNode Session(string name, string storeName, SessionWindows windows, Func<TAggregate> initializer, Func<TKey, TAggregate, TAggregate, TAggregate> merger);
}

internal sealed class CogroupInput<TKey, TValue, TAggregate>(KGroupedStream<TKey, TValue> grouped, Func<TKey, TValue, TAggregate, TAggregate> aggregator)
    : ICogroupInput<TKey, TAggregate>
{
    public object Grouped => grouped;

    public ISerde<TKey>? KeySerde => grouped.KeySerde;

    public string Parent(string storeName) => grouped.AggregationParent(storeName);

    public ProcessorNode Aggregate(string name, string storeName, Func<TAggregate> initializer) =>
        new AggregateNode<TKey, TValue, TAggregate>(name, storeName, (_, _) => initializer(), aggregator);

    public ProcessorNode TimeWindowed(string name, string storeName, TimeWindows windows, Func<TAggregate> initializer) =>
        new TimeWindowAggregateNode<TKey, TValue, TAggregate>(name, storeName, windows, initializer, aggregator);

    public ProcessorNode Sliding(string name, string storeName, SlidingWindows windows, Func<TAggregate> initializer) =>
        new SlidingWindowAggregateNode<TKey, TValue, TAggregate>(name, storeName, windows, initializer, aggregator);

    public ProcessorNode Session(
        string name, string storeName, SessionWindows windows, Func<TAggregate> initializer, Func<TKey, TAggregate, TAggregate, TAggregate> merger) =>
        new SessionWindowAggregateNode<TKey, TValue, TAggregate>(name, storeName, windows, initializer, aggregator, merger);
}
