using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.Topologies;

namespace Tributary.Grains.Streams;

/// <summary>
/// The graph of a stream application: sources that read topics, processors, sinks that write topics, and the state
/// stores of processors (Kafka's <c>Topology</c>). Made by the processor API directly or by a
/// <see cref="StreamsBuilder"/>. Nodes that are connected, by an edge or a shared store, form a sub-topology; each
/// sub-topology runs as one task per partition number of its input topics.
/// </summary>
public sealed partial class Topology
{
    private readonly List<NodeFactory> _nodes = [];
    private readonly Dictionary<string, NodeFactory> _nodesByName = [];
    private readonly Dictionary<string, IStoreBuilder> _stores = [];
    private readonly Dictionary<string, string> _sourceOfTopic = [];
    private readonly Dictionary<string, int?> _repartitionTopics = [];
    private readonly UnionFind _grouper = new();

    /// <summary>Adds a source reading <paramref name="topics"/> with the application's default serdes and timestamp extractor.</summary>
    public Topology AddSource(string name, params string[] topics) => AddSource(name, null, null, null, topics);

    /// <summary>Adds a source reading <paramref name="topics"/>; a null serde or extractor means the application's default.</summary>
    public Topology AddSource(string name, ISerde? keySerde, ISerde? valueSerde, ITimestampExtractor? extractor, params string[] topics)
    {
        if (topics.Length == 0)
        {
            throw new TopologyException("You must provide at least one topic");
        }

        EnsureNewNode(name);
        foreach (var topic in topics)
        {
            if (!_sourceOfTopic.TryAdd(topic, name))
            {
                throw new TopologyException($"Topic {topic} has already been registered by another source.");
            }
        }

        Add(new SourceNodeFactory(name, topics, keySerde, valueSerde, extractor));
        return this;
    }

    /// <summary>Adds a processor made afresh for each task by <paramref name="supplier"/>, child of <paramref name="parentNames"/>.</summary>
    public Topology AddProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>(
        string name, Func<IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>> supplier, params string[] parentNames)
    {
        ArgumentNullException.ThrowIfNull(supplier);
        return AddProcessorNode(name, nodeName => new ProcessorAdapter<TKeyIn, TValueIn, TKeyOut, TValueOut>(nodeName, supplier()), parentNames);
    }

    /// <summary>Adds a sink writing to <paramref name="topic"/> with the application's default serdes.</summary>
    public Topology AddSink(string name, string topic, params string[] parentNames) =>
        AddSink<object, object>(name, topic, null, null, null, parentNames);

    /// <summary>Adds a sink writing to <paramref name="topic"/>; a null serde means the application's default.</summary>
    public Topology AddSink<TKey, TValue>(
        string name, string topic, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde, StreamPartitioner<TKey, TValue>? partitioner, params string[] parentNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var partition = Partitioner(partitioner);
        return AddSinkNode(
            new SinkNodeFactory(name, parentNames, topic, null, topicName =>
            {
                var actual = topicName(topic);
                return new SinkNode(name, (_, _) => actual, keySerde, valueSerde, partition);
            }));
    }

    /// <summary>Adds a sink whose topic <paramref name="extractor"/> chooses per record.</summary>
    public Topology AddSink<TKey, TValue>(
        string name, TopicNameExtractor<TKey, TValue> extractor, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde,
        StreamPartitioner<TKey, TValue>? partitioner, params string[] parentNames)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        var partition = Partitioner(partitioner);
        return AddSinkNode(
            new SinkNodeFactory(name, parentNames, null, extractor.Method.DeclaringType?.Name ?? extractor.Method.Name, _ =>
                new SinkNode(
                    name,
                    (record, context) => extractor(ProcessorNodeCast<TKey>(record.Key), ProcessorNodeCast<TValue>(record.Value), context),
                    keySerde,
                    valueSerde,
                    partition)));
    }

    /// <summary>Adds a store, connected to the named processors (more can be connected later).</summary>
    public Topology AddStateStore(IStoreBuilder storeBuilder, params string[] processorNames)
    {
        if (!_stores.TryAdd(storeBuilder.Name, storeBuilder))
        {
            throw new TopologyException($"StateStore {storeBuilder.Name} is already added.");
        }

        foreach (var processor in processorNames)
        {
            ConnectProcessorAndStateStores(processor, storeBuilder.Name);
        }

        return this;
    }

    /// <summary>Lets a processor open stores added before.</summary>
    public Topology ConnectProcessorAndStateStores(string processorName, params string[] storeNames)
    {
        if (!_nodesByName.TryGetValue(processorName, out var node) || node is not ProcessorNodeFactory processor)
        {
            throw new TopologyException($"Processor {processorName} is not added yet.");
        }

        foreach (var store in storeNames)
        {
            if (_globalStores.ContainsKey(store))
            {
                throw new TopologyException($"Global StateStore {store} can be used by a Processor without being specified; it should not be explicitly passed.");
            }

            if (!_stores.ContainsKey(store))
            {
                throw new TopologyException($"StateStore {store} is not added yet.");
            }

            processor.Stores.Add(store);
            // Processors that share a store run in one task, so they are one sub-topology.
            _grouper.Unite("store:" + store, processorName);
        }

        return this;
    }

    /// <summary>The topology in Kafka's text form through <see cref="TopologyDescription.ToString"/>.</summary>
    public TopologyDescription Describe() => TopologyDescriber.Describe(Subtopologies(), _nodesByName);

    public override string ToString() => Describe().ToString();

    internal IReadOnlyDictionary<string, IStoreBuilder> StoreBuilders => _stores;

    /// <summary>Repartition topics, named without the application id, with the partition count asked for (null: as the input).</summary>
    internal IReadOnlyDictionary<string, int?> RepartitionTopics => _repartitionTopics;

    internal bool HasNode(string name) => _nodesByName.ContainsKey(name);

    internal Topology AddProcessorNode(string name, Func<string, ProcessorNode> make, params string[] parentNames)
    {
        if (parentNames.Length == 0)
        {
            throw new TopologyException($"Processor {name} must have at least one parent");
        }

        EnsureNewNode(name);
        EnsureParents(name, parentNames);
        Add(new ProcessorNodeFactory(name, parentNames, make));
        return this;
    }

    /// <summary>Declares a topology-internal topic that the application creates and names <c>&lt;application.id&gt;-&lt;name&gt;</c>.</summary>
    internal void AddRepartitionTopic(string name, int? partitions) => _repartitionTopics.TryAdd(name, partitions);

    /// <summary>Adds a sink to an internal topic whose serdes need not be typed (a grouped table's changes).</summary>
    internal void AddInternalSink(string name, string topic, ISerde? keySerde, ISerde? valueSerde, string parent) =>
        AddSinkNode(new SinkNodeFactory(name, [parent], topic, null, topicName =>
        {
            var actual = topicName(topic);
            return new SinkNode(name, (_, _) => actual, keySerde, valueSerde, null);
        }));

    internal string TopicName(string applicationId, string topic) => _repartitionTopics.ContainsKey(topic) ? $"{applicationId}-{topic}" : topic;

    private Topology AddSinkNode(SinkNodeFactory sink)
    {
        if (sink.Predecessors.Count == 0)
        {
            throw new TopologyException($"Sink {sink.Name} must have at least one parent");
        }

        EnsureNewNode(sink.Name);
        EnsureParents(sink.Name, sink.Predecessors);
        Add(sink);
        return this;
    }

    private void Add(NodeFactory node)
    {
        _nodes.Add(node);
        _nodesByName.Add(node.Name, node);
        _grouper.Add(node.Name);
        foreach (var parent in node.Predecessors)
        {
            _grouper.Unite(node.Name, parent);
        }
    }

    private void EnsureNewNode(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_nodesByName.ContainsKey(name))
        {
            throw new TopologyException($"Processor {name} is already added.");
        }
    }

    private void EnsureParents(string name, IReadOnlyList<string> parentNames)
    {
        foreach (var parent in parentNames)
        {
            if (parent == name)
            {
                throw new TopologyException($"Processor {name} cannot be a predecessor of itself.");
            }

            if (!_nodesByName.TryGetValue(parent, out var node))
            {
                throw new TopologyException($"Parent processor {parent} is not added yet for {name}");
            }

            if (node is SinkNodeFactory)
            {
                throw new TopologyException($"Sink {parent} cannot be used a parent.");
            }
        }
    }

    private static T ProcessorNodeCast<T>(object? value) => value is null ? default! : (T)value;

    private static Func<string, object?, object?, int, int?>? Partitioner<TKey, TValue>(StreamPartitioner<TKey, TValue>? partitioner) =>
        partitioner is null
            ? null
            : (topic, key, value, count) => partitioner(topic, ProcessorNodeCast<TKey>(key), ProcessorNodeCast<TValue>(value), count);
}
