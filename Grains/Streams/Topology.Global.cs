using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.Topologies;

namespace Tributary.Grains.Streams;

public sealed partial class Topology
{
    private readonly Dictionary<string, IStoreBuilder> _globalStores = [];

    /// <summary>
    /// Adds a global store (Kafka's <c>addGlobalStore</c>): every instance of the application keeps all of it, filled by
    /// <paramref name="stateUpdateSupplier"/>'s processor from every partition of <paramref name="topic"/>, which is its
    /// changelog (the store itself is not logged). Any processor may read it without being connected to it.
    /// </summary>
    public Topology AddGlobalStore<TKey, TValue>(
        KeyValueStoreBuilder<TKey, TValue> storeBuilder, string sourceName, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde,
        ITimestampExtractor? extractor, string topic, string processorName, Func<IProcessor<TKey, TValue, object, object>> stateUpdateSupplier)
    {
        ArgumentNullException.ThrowIfNull(stateUpdateSupplier);
        return AddGlobalStoreNode(
            storeBuilder, sourceName, keySerde, valueSerde, extractor, topic, processorName,
            name => new ProcessorAdapter<TKey, TValue, object, object>(name, stateUpdateSupplier()));
    }

    /// <summary>The global stores' builders by store name.</summary>
    internal IReadOnlyDictionary<string, IStoreBuilder> GlobalStoreBuilders => _globalStores;

    internal Topology AddGlobalStoreNode<TKey, TValue>(
        KeyValueStoreBuilder<TKey, TValue> storeBuilder, string sourceName, ISerde? keySerde, ISerde? valueSerde,
        ITimestampExtractor? extractor, string topic, string processorName, Func<string, ProcessorNode> make)
    {
        ArgumentNullException.ThrowIfNull(storeBuilder);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        EnsureNewNode(sourceName);
        EnsureNewNode(processorName);
        // Kafka's validation and messages (InternalTopologyBuilder.validateGlobalStoreArguments).
        if (_stores.ContainsKey(storeBuilder.Name))
        {
            throw new TopologyException($"A different StateStore has already been added with the name {storeBuilder.Name}");
        }

        if (_globalStores.ContainsKey(storeBuilder.Name))
        {
            throw new TopologyException($"A different GlobalStateStore has already been added with the name {storeBuilder.Name}");
        }

        if (storeBuilder.LoggingEnabled)
        {
            throw new TopologyException($"StateStore {storeBuilder.Name} for global table must not have logging enabled.");
        }

        if (sourceName == processorName)
        {
            throw new TopologyException("sourceName and processorName must be different.");
        }

        if (!_sourceOfTopic.TryAdd(topic, sourceName))
        {
            throw new TopologyException($"Topic {topic} has already been registered by another source.");
        }

        storeBuilder.Synchronized = true;
        _globalStores.Add(storeBuilder.Name, storeBuilder);
        Add(new SourceNodeFactory(sourceName, [topic], keySerde, valueSerde, extractor, isGlobal: true));
        var processor = new ProcessorNodeFactory(processorName, [sourceName], make);
        processor.Stores.Add(storeBuilder.Name);
        Add(processor);
        return this;
    }

    /// <summary>Builds the nodes and stores of the global sub-topologies, once per instance, for the global state updater.</summary>
    internal GlobalTopology BuildGlobal()
    {
        var nodes = new List<ProcessorNode>();
        var sources = new Dictionary<string, SourceNode>();
        var stores = new Dictionary<string, IStateStore>();
        foreach (var subtopology in Subtopologies().Where(s => s.IsGlobal))
        {
            var built = new Dictionary<string, ProcessorNode>();
            foreach (var name in subtopology.NodeNames)
            {
                var factory = _nodesByName[name];
                var node = factory.Build(topic => topic);
                built.Add(name, node);
                nodes.Add(node);
                foreach (var parent in factory.Predecessors)
                {
                    built[parent].AddChild(node);
                }

                if (factory is SourceNodeFactory source)
                {
                    sources.Add(source.Topics[0], (SourceNode)node);
                }
            }

            foreach (var storeName in subtopology.StoreNames)
            {
                stores.Add(storeName, _globalStores[storeName].Build());
            }
        }

        return new GlobalTopology(nodes, sources, stores);
    }
}
