using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// The standby tasks of an instance (Kafka's <c>StandbyTask</c>s, <c>num.standby.replicas</c>, and the warm-up
/// replicas of tasks about to move here): for each task the group's leader gives the instance as a standby (told by
/// the instance's stream threads, <see cref="Assign"/>), its persistent stores are opened in the task's directory and follow
/// the task's changelog partitions as the active instance writes them, and their checkpoint is rewritten at every
/// commit interval. When a stream thread of this instance is assigned the task, it claims it first: the standby
/// closes (its last offsets in the checkpoint, its files unlocked), and the task's restore reads only what came
/// after. Stores in memory have nothing to hand over across the close and are not kept. One thread of its own.
/// </summary>
internal sealed class StandbyUpdater
{
    private readonly Topology _topology;
    private readonly StreamsConfig _config;
    private readonly string _processId;
    private readonly string _name;
    private readonly IReadOnlyDictionary<string, State.IStateStore> _globalStores;
    private readonly ILogger _logger;
    private readonly object _sync = new();
    private readonly Dictionary<TaskId, StreamTask> _standbys = [];
    private readonly HashSet<TaskId> _activeHere = [];
    private readonly HashSet<TaskId> _withoutPersistentStores = [];
    private readonly Dictionary<TopicPartition, (TaskId Task, string Store)> _changelogs = [];
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private bool _assignmentChanged;
    private HashSet<TaskId> _desired = [];
    private bool _reconcile;
    private long _retryAt;

    // Whether the last read failed: a series of failures is logged once, at its first.
    private bool _reading = true;

    public StandbyUpdater(
        Topology topology, StreamsConfig config, string processId, IReadOnlyDictionary<string, State.IStateStore> globalStores, ILogger logger)
    {
        _topology = topology;
        _config = config;
        _processId = processId;
        _name = $"{config.ApplicationId}-{processId}-StandbyUpdater";
        _globalStores = globalStores;
        _logger = logger;
    }

    /// <summary>Completes when the updater has stopped and closed its standbys.</summary>
    public Task Completion => _completion.Task;

    public void Start() => new Thread(Run) { IsBackground = true, Name = _name }.Start();

    public void Shutdown() => _stopping = true;

    /// <summary>
    /// A stream thread of this instance takes <paramref name="id"/> as an active task: its standby, if any, closes
    /// with its checkpoint written before the task opens the same files, and none is made while the task is active here.
    /// </summary>
    public void Claim(TaskId id)
    {
        lock (_sync)
        {
            _activeHere.Add(id);
            if (_standbys.ContainsKey(id))
            {
                CloseStandby(id);
            }
        }
    }

    /// <summary>
    /// The standbys the leader gave this instance in the latest assignment a stream thread received (each thread is
    /// told its instance's): they are opened, and the others closed, by the updater's thread.
    /// </summary>
    public void Assign(IReadOnlyCollection<TaskId> standbys)
    {
        lock (_sync)
        {
            _desired = [.. standbys];
            _reconcile = true;
            _retryAt = 0;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>The active task <paramref name="id"/> has closed here: it may have a standby here again.</summary>
    public void Release(TaskId id)
    {
        lock (_sync)
        {
            _activeHere.Remove(id);
        }
    }

    private void Run()
    {
        IConsumer<byte[]?, byte[]?>? consumer = null;
        try
        {
            consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig(new Dictionary<string, string>(_config.ClientConfig))
            {
                BootstrapServers = _config.BootstrapServers,
                GroupId = _config.ApplicationId + "-standby",
                ClientId = _name + "-consumer",
                EnableAutoCommit = false,
                EnablePartitionEof = false,
                IsolationLevel = _config.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2 ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
            }.FetchAgainWithin(_config.PollInterval)).Build();
            var restorer = new ChangelogRestorer(consumer, _name, _logger, null);
            var lastCheckpoint = Stopwatch.GetTimestamp();
            while (!_stopping)
            {
                lock (_sync)
                {
                    if (_reconcile && Stopwatch.GetTimestamp() >= _retryAt)
                    {
                        // A standby whose changelog could not be read now is tried again a little later.
                        _reconcile = !Reconcile(_desired, restorer);
                        _retryAt = Stopwatch.GetTimestamp() + (2 * Stopwatch.Frequency);
                    }
                }

                Follow(consumer);
                if (Stopwatch.GetElapsedTime(lastCheckpoint) >= _config.EffectiveCommitInterval)
                {
                    Checkpoint();
                    lastCheckpoint = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (Exception e)
        {
            StreamsRuntimeLog.StandbyFailed(_logger, _name, e);
        }
        finally
        {
            lock (_sync)
            {
                foreach (var id in _standbys.Keys.ToList())
                {
                    CloseStandby(id);
                }
            }

            consumer?.Close();
            consumer?.Dispose();
            _completion.TrySetResult();
        }
    }

    /// <summary>Closes the standbys no longer placed here and opens the new ones, each from its checkpoint; false when one could not be opened now.</summary>
    private bool Reconcile(HashSet<TaskId> desired, ChangelogRestorer restorer)
    {
        var opened = true;
        foreach (var id in _standbys.Keys.Where(id => !desired.Contains(id)).ToList())
        {
            CloseStandby(id);
        }

        foreach (var id in desired.Where(id => !_standbys.ContainsKey(id) && !_activeHere.Contains(id) && !_withoutPersistentStores.Contains(id)).Order())
        {
            try
            {
                OpenStandby(id, restorer);
            }
            catch (KafkaException e)
            {
                ReadFailed(e.Message);
                opened = false;
            }
        }

        return opened;
    }

    /// <summary>Opens a standby of a task from its checkpoint; a task without persistent logged stores is remembered and never kept.</summary>
    private void OpenStandby(TaskId id, ChangelogRestorer restorer)
    {
        var state = new TaskState(
            _config.ApplicationId, id, _config.KeySerdeOrMissing, _config.ValueSerdeOrMissing, new NoOutput(), _config.Clock, _globalStores, _config.TaskDirectory(id));
        var task = new StreamTask(id, _topology, state, _config.DefaultTimestampExtractor, _config.DeserializationExceptionHandler, _logger);
        var manager = state.StateManager;
        var followed = manager.Changelogs.Where(c => manager.Stores[c.Key].Persistent).ToList();
        if (followed.Count == 0)
        {
            _withoutPersistentStores.Add(id);
            return;
        }

        manager.LoadCheckpoint(exactlyOnce: false);
        restorer.Prepare(task);
        task.InitializeStores();
        foreach (var (store, topic) in followed)
        {
            var partition = new TopicPartition(topic, id.Partition);
            _changelogs[partition] = (id, store);
            _positions[partition] = manager.CheckpointedOffset(store) is { } checkpointed ? checkpointed + 1 : 0;
        }

        _standbys.Add(id, task);
        _assignmentChanged = true;
        StreamsRuntimeLog.StandbyCreated(_logger, _name, id.ToString());
    }

    /// <summary>Applies what the changelogs of the standbys hold beyond what they have.</summary>
    private void Follow(IConsumer<byte[]?, byte[]?> consumer)
    {
        lock (_sync)
        {
            if (_assignmentChanged)
            {
                consumer.Assign(_positions.Select(p => new TopicPartitionOffset(p.Key, p.Value == 0 ? Offset.Beginning : new Offset(p.Value))));
                _assignmentChanged = false;
            }

            if (_positions.Count == 0)
            {
                Monitor.Wait(_sync, _config.PollInterval);
                return;
            }
        }

        ConsumeResult<byte[]?, byte[]?>? result;
        try
        {
            result = consumer.Consume(_config.PollInterval);
        }
        catch (ConsumeException e)
        {
            // A changelog the broker cannot serve now: the standbys wait and read on from where they are.
            ReadFailed(e.Message);
            lock (_sync)
            {
                _assignmentChanged = true;
                Monitor.Wait(_sync, _config.PollInterval);
            }

            return;
        }

        lock (_sync)
        {
            _reading = true;
            for (var applied = 0; result is not null && applied < 1000; applied++)
            {
                // A record read for a standby that closed meanwhile (claimed by a stream thread) is left to the task.
                if (_changelogs.TryGetValue(result.TopicPartition, out var target) && _standbys.TryGetValue(target.Task, out var task)
                    && !_assignmentChanged && result.Message.Key is { } key)
                {
                    task.State.StateManager.Restore(target.Store, result.Offset.Value, key, result.Message.Value, result.Message.Timestamp.UnixTimestampMs);
                    _positions[result.TopicPartition] = result.Offset.Value + 1;
                }

                result = consumer.Consume(TimeSpan.Zero);
            }
        }
    }

    private void ReadFailed(string reason)
    {
        if (_reading)
        {
            StreamsRuntimeLog.StandbyReadFailed(_logger, _name, reason);
        }

        _reading = false;
    }

    /// <summary>Flushes each standby's stores and writes its checkpoint if it moved, so that a claim or a restart finds it current.</summary>
    private void Checkpoint()
    {
        lock (_sync)
        {
            foreach (var task in _standbys.Values)
            {
                task.State.StateManager.Flush();
                task.State.StateManager.Checkpoint(task.State.Collector, force: true);
            }
        }
    }

    private void CloseStandby(TaskId id)
    {
        var task = _standbys[id];
        _standbys.Remove(id);
        foreach (var partition in _changelogs.Where(c => c.Value.Task == id).Select(c => c.Key).ToList())
        {
            _changelogs.Remove(partition);
            _positions.Remove(partition);
        }

        task.State.StateManager.Flush();
        task.State.StateManager.Checkpoint(task.State.Collector, force: true);
        task.State.StateManager.Close();
        _assignmentChanged = true;
        StreamsRuntimeLog.StandbyClosed(_logger, _name, id.ToString());
    }

    /// <summary>A standby writes nothing: its stores' changes come from the changelog, not to it.</summary>
    private sealed class NoOutput : IRecordCollector
    {
        public void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp, int? partition) =>
            throw new InvalidOperationException("A standby task does not write records");

        public int PartitionCount(string topic) => throw new InvalidOperationException("A standby task does not write records");

        public long? LastOffset(string topic, int partition) => null;
    }
}
