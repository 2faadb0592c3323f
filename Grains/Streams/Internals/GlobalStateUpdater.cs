using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.Topologies;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// Keeps an instance's global stores (Kafka's <c>GlobalStateUpdateTask</c>): each record of a global topic, from any
/// partition, goes through its global source and processor into the store. The stores are built once per instance and
/// read by every task; one thread feeds them.
/// </summary>
internal sealed class GlobalStateUpdater
{
    private readonly GlobalTopology _topology;
    private readonly TaskState _state;
    private readonly RecordStamper _stamper;

    public GlobalStateUpdater(Topology topology, StreamsConfig config, ILogger logger)
    {
        _topology = topology.BuildGlobal();
        Topics = _topology.Sources.Keys.ToHashSet();
        _stamper = new RecordStamper(config.DefaultTimestampExtractor, config.DeserializationExceptionHandler, logger);
        // Global processors write no topic: their task state has no collector to speak of, and the global stores as its stores.
        _state = new TaskState(config.ApplicationId, new TaskId(-1, -1), config.KeySerdeOrMissing, config.ValueSerdeOrMissing, NoOutput.Instance, config.Clock, _topology.Stores, config.GlobalDirectory);
    }

    public IReadOnlyDictionary<string, IStateStore> Stores => _topology.Stores;

    /// <summary>The global topics, each read whole by every instance.</summary>
    public IReadOnlySet<string> Topics { get; }

    public void Initialize()
    {
        // Global stores keep no checkpoint: each start reads their topics whole into empty stores.
        _state.StateManager.WipePersistentStores();
        var context = new StateStoreContext(_state);
        foreach (var store in _topology.Stores.Values)
        {
            store.Init(context);
        }

        foreach (var node in _topology.Nodes)
        {
            node.Init(_state);
        }
    }

    public void Process(RawRecord raw)
    {
        var source = _topology.Sources[raw.Topic];
        if (!_stamper.TryStamp(source, raw, out var key, out var value, out var timestamp))
        {
            return;
        }

        _state.CurrentMetadata = new RecordMetadata(raw.Topic, raw.Partition, raw.Offset);
        _state.CurrentTimestamp = timestamp;
        _state.CurrentHeaders = raw.Headers;
        _state.StreamTime = Math.Max(_state.StreamTime, timestamp);
        source.Process(new Record<object?, object?>(key, value, timestamp, raw.Headers));
    }

    public void Close()
    {
        foreach (var node in _topology.Nodes)
        {
            node.Close();
        }

        foreach (var store in _topology.Stores.Values.Where(s => s.IsOpen))
        {
            store.Close();
        }
    }

    /// <summary>The collector of a global processor's task state: a global store has no changelog and its processor no sink.</summary>
    private sealed class NoOutput : IRecordCollector
    {
        public static readonly NoOutput Instance = new();

        public void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp, int? partition) =>
            throw new StreamsException($"A global store's processor cannot write to {topic}");

        public int PartitionCount(string topic) => throw new StreamsException($"A global store's processor writes no topic such as {topic}");

        public long? LastOffset(string topic, int partition) => null;
    }
}
