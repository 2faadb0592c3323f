using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Streams.Runtime;

namespace Tributary.Grains.Streams;

/// <summary>
/// A running instance of a stream application (Kafka's <c>KafkaStreams</c>): <see cref="StreamsConfig.NumStreamThreads"/>
/// threads, each a member of the application's consumer group, running the tasks of the partitions assigned to it.
/// Instances of one application (same <see cref="StreamsConfig.ApplicationId"/>), in one process or many, share the
/// work; when one joins or leaves, tasks move and their stores are rebuilt from their changelogs.
/// </summary>
public sealed partial class KafkaStreams : IAsyncDisposable
{
    private readonly Topology _topology;
    private readonly StreamsConfig _config;
    private readonly ILogger _logger;
    private readonly string _processId = Guid.NewGuid().ToString();
    private readonly List<StreamThread> _threads = [];
    private readonly Dictionary<string, int> _partitionCounts = [];
    private readonly object _gate = new();
    private IAdminClient? _admin;
    private GlobalStreamThread? _globalThread;
    private StandbyUpdater? _standbyUpdater;
    private StateDirectoryLock? _stateLock;
    private Processor.IStateRestoreListener? _restoreListener;
    private KafkaStreamsState _state = KafkaStreamsState.Created;

    public KafkaStreams(Topology topology, StreamsConfig config, ILoggerFactory? loggerFactory = null)
    {
        config.Validate();
        _topology = topology;
        _config = config;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KafkaStreams>();
    }

    /// <summary>Told of every restore of a task's store from its changelog (Kafka's <c>setGlobalStateRestoreListener</c>); set it before the start.</summary>
    public Processor.IStateRestoreListener? GlobalStateRestoreListener
    {
        get => _restoreListener;
        set
        {
            lock (_gate)
            {
                if (_state != KafkaStreamsState.Created)
                {
                    throw new InvalidOperationException("A restore listener can only be set before the application starts");
                }

                _restoreListener = value;
            }
        }
    }

    /// <summary>Called with the old and new state when the instance's state changes.</summary>
    public event Action<KafkaStreamsState, KafkaStreamsState>? StateChanged;

    /// <summary>
    /// Decides what a thread's failure does (Kafka's <c>StreamsUncaughtExceptionHandler</c>). By default the
    /// instance shuts down (Kafka's SHUTDOWN_CLIENT).
    /// </summary>
    public Func<Exception, StreamThreadExceptionResponse> UncaughtExceptionHandler { get; set; } = _ => StreamThreadExceptionResponse.ShutdownClient;

    /// <summary>
    /// Rebalancing while any thread waits for or works through an assignment (restoring its stores), Running when
    /// every thread processes.
    /// </summary>
    public KafkaStreamsState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Creates the application's internal topics and starts its threads.</summary>
    public async Task StartAsync()
    {
        lock (_gate)
        {
            if (_state != KafkaStreamsState.Created)
            {
                throw new InvalidOperationException($"The stream application can only be started once; it is {_state}");
            }
        }

        _stateLock ??= StateDirectoryLock.Acquire(_config.ApplicationDirectory);
        var adminConfig = new AdminClientConfig(new Dictionary<string, string>(_config.ClientConfig)) { BootstrapServers = _config.BootstrapServers };
        _admin = new AdminClientBuilder(adminConfig).Build();
        var counts = await new InternalTopicManager(_admin, _topology, _config).PrepareAsync().ConfigureAwait(false);
        lock (_gate)
        {
            SetState(KafkaStreamsState.Rebalancing);
        }

        if (_topology.GlobalStoreBuilders.Count > 0)
        {
            // As Kafka: the global stores are read to the end of their topics before any stream thread starts.
            _globalThread = new GlobalStreamThread(_topology, _config, _admin, $"{_config.ApplicationId}-{_processId}", _logger);
            _ = _globalThread.Completion.ContinueWith(_ => OnGlobalThreadStopped(), TaskScheduler.Default);
            await _globalThread.StartAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            foreach (var (topic, partitions) in counts)
            {
                _partitionCounts[topic] = partitions;
            }

            // Standbys, and warm-up replicas of tasks about to move here (which come with or without standbys).
            if (_topology.StoreBuilders.Values.Any(b => b.LoggingEnabled))
            {
                _standbyUpdater = new StandbyUpdater(_topology, _config, _processId, _globalThread?.Stores ?? new Dictionary<string, State.IStateStore>(), _logger);
                _standbyUpdater.Start();
            }

            for (var i = 0; i < _config.NumStreamThreads; i++)
            {
                StartThread();
            }
        }
    }

    /// <summary>Stops the threads: each commits, closes its tasks and leaves the group.</summary>
    public async Task CloseAsync()
    {
        List<StreamThread> threads;
        lock (_gate)
        {
            if (_state is KafkaStreamsState.NotRunning or KafkaStreamsState.Created)
            {
                _state = KafkaStreamsState.NotRunning;
                ReleaseStateDirectory();
                return;
            }

            if (_state != KafkaStreamsState.Error)
            {
                SetState(KafkaStreamsState.PendingShutdown);
            }

            threads = [.. _threads];
        }

        foreach (var thread in threads)
        {
            thread.Shutdown();
        }

        await Task.WhenAll(threads.Select(t => t.Completion)).ConfigureAwait(false);
        if (_standbyUpdater is { } standbys)
        {
            standbys.Shutdown();
            await standbys.Completion.ConfigureAwait(false);
        }

        if (_globalThread is { } global)
        {
            global.Shutdown();
            await global.Completion.ConfigureAwait(false);
        }

        _admin?.Dispose();
        lock (_gate)
        {
            ReleaseStateDirectory();
            if (_state != KafkaStreamsState.Error)
            {
                SetState(KafkaStreamsState.NotRunning);
            }
        }
    }

    private void ReleaseStateDirectory()
    {
        _stateLock?.Dispose();
        _stateLock = null;
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    /// <summary>
    /// This instance's stream threads and the tasks each runs at this moment (Kafka's <c>metadataForLocalThreads()</c>):
    /// a task appears once its stores are restored and it processes records.
    /// </summary>
    public IReadOnlyList<ThreadMetadata> MetadataForLocalThreads()
    {
        List<Runtime.StreamThread> threads;
        lock (_gate)
        {
            threads = [.. _threads];
        }

        return [.. threads.Select(t => new ThreadMetadata(t.Name, t.ActiveTasks()))];
    }

    /// <summary>
    /// This instance's part of a key-value store, for reads from outside the application (Kafka's interactive
    /// queries, <c>store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()))</c>): the
    /// store of each local task, or the whole of a global store. Reads wait for the owning thread between records.
    /// </summary>
    public State.IReadOnlyKeyValueStore<TKey, TValue> Store<TKey, TValue>(string storeName) =>
        new State.CompositeReadOnlyKeyValueStore<TKey, TValue>(storeName, LocalStores(storeName));

    /// <summary>This instance's part of a window store (Kafka's <c>QueryableStoreTypes.windowStore()</c>).</summary>
    public State.IReadOnlyWindowStore<TKey, TValue> WindowStore<TKey, TValue>(string storeName) =>
        new State.CompositeReadOnlyWindowStore<TKey, TValue>(storeName, LocalStores(storeName));

    private Func<IReadOnlyList<State.LocalStore>> LocalStores(string storeName)
    {
        if (!_topology.StoreBuilders.ContainsKey(storeName) && !_topology.GlobalStoreBuilders.ContainsKey(storeName))
        {
            throw new InvalidStateStoreException($"Cannot get state store {storeName} because no such store is registered in the topology.");
        }

        EnsureQueryable();
        var globalGate = new object();
        return () =>
        {
            EnsureQueryable();
            if (_globalThread?.Stores.GetValueOrDefault(storeName) is { } global)
            {
                return [new State.LocalStore(global, globalGate)];
            }

            List<StreamThread> threads;
            lock (_gate)
            {
                threads = [.. _threads];
            }

            return [.. threads.SelectMany(t => t.StoresNamed(storeName))];
        };
    }

    private void EnsureQueryable()
    {
        lock (_gate)
        {
            if (_state is not (KafkaStreamsState.Running or KafkaStreamsState.Rebalancing))
            {
                throw new InvalidStateStoreException($"KafkaStreams is not running. State is {_state}.");
            }
        }
    }

    private void StartThread()
    {
        // The lowest number no live thread has, as Kafka: a replacement takes the number (and name, transactional and
        // static member id) of the thread it replaces.
        var index = Enumerable.Range(1, int.MaxValue).First(i => _threads.All(t => t.Index != i));
        var thread = new StreamThread(_topology, _config, _processId, index, SubtopologyOfTopic(), PartitionCount, _logger, OnRebalanceChanged,
            _globalThread?.Stores ?? new Dictionary<string, State.IStateStore>(), EndOffsets, OnAssignment, _restoreListener, _standbyUpdater);
        _threads.Add(thread);
        _ = thread.Completion.ContinueWith(_ => OnThreadStopped(thread), TaskScheduler.Default);
        thread.Start();
    }

    /// <summary>The sub-topology that reads each (real) source topic.</summary>
    private Dictionary<string, int> SubtopologyOfTopic() =>
        _topology.Subtopologies()
            .Where(s => !s.IsGlobal)
            .SelectMany(s => s.SourceTopics.Select(t => (Topic: _topology.TopicName(_config.ApplicationId, t), s.Id)))
            .ToDictionary(p => p.Topic, p => p.Id);

    private void OnRebalanceChanged()
    {
        lock (_gate)
        {
            if (_state is KafkaStreamsState.Rebalancing or KafkaStreamsState.Running)
            {
                SetState(_threads.Any(t => t.Rebalancing) ? KafkaStreamsState.Rebalancing : KafkaStreamsState.Running);
            }
        }
    }

    /// <summary>A global thread that failed takes the instance down (Kafka: the global thread has no replacement).</summary>
    private void OnGlobalThreadStopped()
    {
        if (_globalThread?.Failure is not { } failure)
        {
            return;
        }

        _ = UncaughtExceptionHandler(failure);
        List<StreamThread> threads;
        lock (_gate)
        {
            if (_state is KafkaStreamsState.PendingShutdown or KafkaStreamsState.NotRunning or KafkaStreamsState.Error)
            {
                return;
            }

            SetState(KafkaStreamsState.PendingError);
            threads = [.. _threads];
            foreach (var thread in threads)
            {
                thread.Shutdown();
            }
        }

        _ = Task.WhenAll(threads.Select(t => t.Completion)).ContinueWith(_ =>
        {
            lock (_gate)
            {
                SetState(KafkaStreamsState.Error);
            }
        }, TaskScheduler.Default);
    }

    private void OnThreadStopped(StreamThread thread)
    {
        if (thread.Failure is not { } failure)
        {
            return;
        }

        var response = UncaughtExceptionHandler(failure);
        lock (_gate)
        {
            _threads.Remove(thread);
            if (_state is KafkaStreamsState.PendingShutdown or KafkaStreamsState.NotRunning)
            {
                return;
            }

            if (response == StreamThreadExceptionResponse.ReplaceThread)
            {
                StartThread();
                return;
            }

            SetState(KafkaStreamsState.PendingError);
            foreach (var other in _threads)
            {
                other.Shutdown();
            }
        }

        _ = Task.WhenAll(_threads.Select(t => t.Completion)).ContinueWith(_ =>
        {
            lock (_gate)
            {
                SetState(KafkaStreamsState.Error);
            }
        }, TaskScheduler.Default);
    }

    /// <summary>The end offsets of changelog partitions, for the group leader's lags (read committed with exactly-once).</summary>
    private IReadOnlyDictionary<TopicPartition, long> EndOffsets(IReadOnlyCollection<TopicPartition> partitions)
    {
        if (partitions.Count == 0)
        {
            return new Dictionary<TopicPartition, long>();
        }

        var isolation = _config.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2 ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted;
        var listed = _admin!.ListOffsetsAsync(
                partitions.Select(p => new Confluent.Kafka.Admin.TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = Confluent.Kafka.Admin.OffsetSpec.Latest() }),
                new Confluent.Kafka.Admin.ListOffsetsOptions { IsolationLevel = isolation, RequestTimeout = TimeSpan.FromSeconds(30) })
            .GetAwaiter().GetResult();
        return listed.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
    }

    private int PartitionCount(string topic)
    {
        lock (_gate)
        {
            if (_partitionCounts.TryGetValue(topic, out var known))
            {
                return known;
            }
        }

        var metadata = _admin!.GetMetadata(topic, TimeSpan.FromSeconds(30)).Topics.FirstOrDefault();
        var count = metadata is { Error.Code: ErrorCode.NoError } ? metadata.Partitions.Count : throw new StreamsException($"Topic {topic} has no partitions");
        lock (_gate)
        {
            _partitionCounts[topic] = count;
        }

        return count;
    }

    private void SetState(KafkaStreamsState next)
    {
        var previous = _state;
        if (previous == next)
        {
            return;
        }

        _state = next;
        StreamsRuntimeLog.StateChanged(_logger, _config.ApplicationId, previous, next);
        StateChanged?.Invoke(previous, next);
    }
}

/// <summary>The states of an instance (Kafka's <c>KafkaStreams.State</c>).</summary>
public enum KafkaStreamsState
{
    Created,
    Rebalancing,
    Running,
    PendingShutdown,
    NotRunning,
    PendingError,
    Error,
}

/// <summary>What a thread's failure does (Kafka's <c>StreamThreadExceptionResponse</c>).</summary>
public enum StreamThreadExceptionResponse
{
    /// <summary>Starts a new thread in place of the failed one.</summary>
    ReplaceThread,

    /// <summary>Shuts this instance down; it ends in <see cref="KafkaStreamsState.Error"/>.</summary>
    ShutdownClient,
}
