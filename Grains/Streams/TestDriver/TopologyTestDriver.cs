using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.TestDriver;

/// <summary>
/// Runs a topology without a broker, so that an application's logic is unit-tested as Kafka Streams users test
/// theirs (Kafka's <c>TopologyTestDriver</c>). Each sub-topology runs as one task on partition 0; a record piped
/// into an input topic is processed at once, with everything it causes: records written to a repartition topic
/// are read back by the sub-topology that consumes it before the pipe returns; a record of a global topic updates
/// the global store at once. Output, changelog and repartition
/// records wait in their topics for <see cref="TestOutputTopic{TKey, TValue}"/>s. Wall-clock time is mocked and
/// moves only by <see cref="AdvanceWallClockTime"/>. Not thread-safe.
/// </summary>
public sealed class TopologyTestDriver : IDisposable
{
    private const string DefaultApplicationId = "dummy-topology-test-driver-app-id";

    private readonly Topology _topology;
    private readonly StreamsConfig _config;
    private readonly ManualClock _clock;
    private readonly List<StreamTask> _tasks = [];
    private readonly Dictionary<string, StreamTask> _taskOfTopic = [];
    private readonly Dictionary<string, Queue<TestRecord<byte[]?, byte[]?>>> _outputs = [];
    private readonly Dictionary<string, long> _offsets = [];
    private readonly Queue<RawRecord> _internal = new();
    private readonly GlobalStateUpdater _global;
    private bool _disposed;

    public TopologyTestDriver(Topology topology, StreamsConfig? config = null, DateTimeOffset? initialWallClockTime = null)
    {
        _topology = topology;
        _clock = new ManualClock(initialWallClockTime ?? DateTimeOffset.UtcNow);
        // A directory of its own under state.dir for the persistent stores, deleted when the driver is disposed.
        var stateDir = Path.Combine(config?.StateDir ?? Path.Combine(Path.GetTempPath(), "kafka-streams"), "test-driver-" + Guid.NewGuid().ToString("N"));
        _config = config is null
            ? new StreamsConfig { ApplicationId = DefaultApplicationId, Clock = _clock, StateDir = stateDir }
            : new StreamsConfig
            {
                ApplicationId = config.ApplicationId,
                StateDir = stateDir,
                DefaultKeySerde = config.DefaultKeySerde,
                DefaultValueSerde = config.DefaultValueSerde,
                DefaultTimestampExtractor = config.DefaultTimestampExtractor,
                DeserializationExceptionHandler = config.DeserializationExceptionHandler,
                StatestoreCacheMaxBytes = config.StatestoreCacheMaxBytes,
                Clock = _clock,
            };
        _config.Validate();

        // Global stores first, as an instance fills them before its tasks start; a record piped into a global topic updates them at once.
        _global = new GlobalStateUpdater(topology, _config, NullLogger.Instance);
        _global.Initialize();
        var collector = new Collector(this);
        // One record cache, as a stream thread's; every record is followed by a commit, which empties it.
        var cache = _config.NewThreadCache();
        foreach (var subtopology in topology.Subtopologies().Where(s => !s.IsGlobal))
        {
            var id = new TaskId(subtopology.Id, 0);
            var state = new TaskState(
                _config.ApplicationId, id, _config.KeySerdeOrMissing, _config.ValueSerdeOrMissing, collector, _clock, _global.Stores, _config.TaskDirectory(id), cache);
            var task = new StreamTask(id, topology, state, _config.DefaultTimestampExtractor, _config.DeserializationExceptionHandler, NullLogger.Instance);
            task.InitializeStores();
            task.InitializeProcessors();
            _tasks.Add(task);
            foreach (var topic in task.SourceTopics)
            {
                _taskOfTopic.Add(topic, task);
            }
        }
    }

    /// <summary>The names of the topics the topology has written to so far (outputs, repartition and changelog topics).</summary>
    public IReadOnlyCollection<string> ProducedTopicNames => _outputs.Keys;

    /// <summary>An input topic whose records without a timestamp get the driver's start time, moved on by <paramref name="autoAdvance"/> each.</summary>
    public TestInputTopic<TKey, TValue> CreateInputTopic<TKey, TValue>(
        string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, DateTimeOffset? startTimestamp = null, TimeSpan? autoAdvance = null) =>
        new(this, topic, keySerde, valueSerde, startTimestamp ?? _clock.GetUtcNow(), autoAdvance ?? TimeSpan.Zero);

    public TestOutputTopic<TKey, TValue> CreateOutputTopic<TKey, TValue>(string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde) =>
        new(this, topic, keySerde, valueSerde);

    /// <summary>Moves wall-clock time on and runs the wall-clock punctuations that became due.</summary>
    public void AdvanceWallClockTime(TimeSpan advance)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _clock.Advance(advance);
        foreach (var task in _tasks)
        {
            // As Kafka's driver, punctuations are followed by a commit, which writes what they left in the caches.
            task.MaybePunctuateSystemTime();
            task.Flush();
        }

        Drain();
    }

    /// <summary>A key-value store of the topology, to look into or to prepare.</summary>
    public IKeyValueStore<TKey, TValue> GetKeyValueStore<TKey, TValue>(string name) =>
        GetStateStore(name) as IKeyValueStore<TKey, TValue>
        ?? throw new InvalidOperationException($"Store {name} is not a key-value store of {typeof(TKey).Name} to {typeof(TValue).Name}");

    public IStateStore GetStateStore(string name)
    {
        if (_global.Stores.TryGetValue(name, out var global))
        {
            return global;
        }

        foreach (var task in _tasks)
        {
            if (task.State.StateManager.Stores.TryGetValue(name, out var store))
            {
                return store;
            }
        }

        throw new ArgumentException($"The topology has no state store {name}", nameof(name));
    }

    public IReadOnlyDictionary<string, IStateStore> GetAllStateStores() =>
        _tasks.SelectMany(t => t.State.StateManager.Stores).Concat(_global.Stores).ToDictionary(p => p.Key, p => p.Value);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var task in _tasks)
        {
            task.Close(clean: true);
        }

        _global.Close();
        if (Directory.Exists(_config.StateDir))
        {
            Directory.Delete(_config.StateDir, recursive: true);
        }
    }

    internal void Pipe(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_global.Topics.Contains(topic))
        {
            _global.Process(new RawRecord(topic, 0, NextOffset(topic), key, value, timestamp, headers));
            return;
        }

        if (!_taskOfTopic.TryGetValue(topic, out var task))
        {
            throw new ArgumentException($"Unknown topic: {topic}", nameof(topic));
        }

        ProcessOne(task, new RawRecord(topic, 0, NextOffset(topic), key, value, timestamp, headers));
        Drain();
    }

    internal TestRecord<byte[]?, byte[]?>? Read(string topic) =>
        _outputs.TryGetValue(topic, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;

    internal int QueueSize(string topic) => _outputs.TryGetValue(topic, out var queue) ? queue.Count : 0;

    private void ProcessOne(StreamTask task, RawRecord record)
    {
        task.AddRecord(record);
        while (task.Process())
        {
        }

        // As Kafka's driver, every record is followed by a commit.
        task.Flush();
        task.ClearConsumed();
    }

    /// <summary>Feeds what went to repartition topics back to the tasks that read them, until nothing is left.</summary>
    private void Drain()
    {
        while (_internal.TryDequeue(out var record))
        {
            if (_global.Topics.Contains(record.Topic))
            {
                _global.Process(record);
            }
            else
            {
                ProcessOne(_taskOfTopic[record.Topic], record);
            }
        }
    }

    private long NextOffset(string topic)
    {
        var offset = _offsets.GetValueOrDefault(topic);
        _offsets[topic] = offset + 1;
        return offset;
    }

    private sealed class Collector(TopologyTestDriver driver) : IRecordCollector
    {
        public long? LastOffset(string topic, int partition) => null;

        public void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp, int? partition)
        {
            // Each output owns its headers, as a record on a broker would.
            var copied = new Headers();
            foreach (var header in headers)
            {
                copied.Add(header.Key, header.GetValueBytes());
            }

            if (!driver._outputs.TryGetValue(topic, out var queue))
            {
                queue = new Queue<TestRecord<byte[]?, byte[]?>>();
                driver._outputs.Add(topic, queue);
            }

            queue.Enqueue(new TestRecord<byte[]?, byte[]?>(key, value, copied, timestamp));
            if (driver._taskOfTopic.ContainsKey(topic) || driver._global.Topics.Contains(topic))
            {
                driver._internal.Enqueue(new RawRecord(topic, 0, driver.NextOffset(topic), key, value, timestamp, copied));
            }
        }

        public int PartitionCount(string topic) => 1;
    }
}
