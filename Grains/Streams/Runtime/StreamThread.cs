using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// One processing thread (Kafka's <c>StreamThread</c>): a member of the application's consumer group with its own
/// producer, running the tasks of the partitions assigned to it. The group assigns one anchor topic per sub-topology
/// under the sticky cooperative assignor, and the thread adds the partitions of the sub-topology's other source topics
/// that its tasks need (<see cref="CopartitionGroups"/>), so that partition <c>p</c> of every input topic of a
/// sub-topology lands on the same thread, as the sub-topology's task <c>id_p</c> needs, and tasks stay where they
/// are across rebalances. A task's stores are rebuilt from their changelogs when it is created. At each commit the
/// stores are flushed, the output acknowledged (or, with exactly-once, the transaction committed with the
/// offsets), then the offsets of the processed records committed. Everything runs on one dedicated thread, since
/// the consumer's calls block.
/// </summary>
internal sealed partial class StreamThread
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    private readonly Topology _topology;
    private readonly StreamsConfig _config;
    private readonly string _name;
    private readonly string _transactionalId;
    private readonly CopartitionGroups _groups;
    private readonly TaskPartitionAssignment _taskPartitions = new();
    private HashSet<TaskId> _revoking = [];
    private readonly Func<string, int> _partitionCount;
    private readonly ILogger _logger;
    private readonly Action _rebalanceChanged;
    private readonly Dictionary<TaskId, StreamTask> _tasks = [];
    private string? _routeTopic;
    private int _routePartition;
    private StreamTask? _routeTask;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private IProducer<byte[]?, byte[]?>? _producer;
    private ProducerRecordCollector? _collector;
    private ChangelogRestorer? _restorer;
    private volatile bool _stopping;
    private volatile bool _rebalancing = true;
    private long _lastCommit;
    private readonly IReadOnlyDictionary<string, State.IStateStore> _globalStores;
    private readonly Processor.IStateRestoreListener? _restoreListener;
    private readonly StandbyUpdater? _standbys;
    private readonly State.ThreadCache _cache;
    private readonly Guid _processGuid;
    private readonly Assignment.StreamsGroupLeader _leader;
    private readonly Action<Assignment.StreamsAssignmentInfo> _assignmentReceived;

    public StreamThread(
        Topology topology, StreamsConfig config, string processId, int index, IReadOnlyDictionary<string, int> subtopologyOfTopic,
        Func<string, int> partitionCount, ILogger logger, Action rebalanceChanged, IReadOnlyDictionary<string, State.IStateStore> globalStores,
        Func<IReadOnlyCollection<TopicPartition>, IReadOnlyDictionary<TopicPartition, long>> endOffsets, Action<Assignment.StreamsAssignmentInfo> assignmentReceived,
        Processor.IStateRestoreListener? restoreListener = null, StandbyUpdater? standbys = null)
    {
        _processGuid = Guid.Parse(processId);
        _assignmentReceived = assignmentReceived;
        _standbys = standbys;
        _cache = config.NewThreadCache();
        _restoreListener = restoreListener;
        _globalStores = globalStores;
        _rebalanceChanged = rebalanceChanged;
        _topology = topology;
        _config = config;
        Index = index;
        _name = $"{config.ApplicationId}-{processId}-StreamThread-{index}";
        _transactionalId = $"{config.ApplicationId}-{processId}-{index}";
        _groups = new CopartitionGroups(subtopologyOfTopic, partitionCount);
        _leader = new Assignment.StreamsGroupLeader(topology, config, _groups, partitionCount, endOffsets, logger, _name);
        _partitionCount = partitionCount;
        _logger = logger;
    }

    public string Name => _name;

    /// <summary>Whether the thread waits for (or works through) a rebalance.</summary>
    public bool Rebalancing => _rebalancing;

    public Exception? Failure { get; private set; }

    /// <summary>Completes when the thread has stopped, cleanly or not.</summary>
    public Task Completion => _completion.Task;

    private bool ExactlyOnce => _config.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2;

    public void Start() => new Thread(Run) { IsBackground = true, Name = _name }.Start();

    /// <summary>Asks the thread to commit, close its tasks and leave the group.</summary>
    public void Shutdown()
    {
        _stopping = true;
        _leaving.Cancel();
    }

    /// <summary>The live stores of this thread's tasks with the given name, each with the lock its reads take (interactive queries).</summary>
    public IEnumerable<State.LocalStore> StoresNamed(string name)
    {
        lock (_tasks)
        {
            return _tasks.Values
                .Select(t => t.State.StateManager.Stores.GetValueOrDefault(name))
                .OfType<State.IStateStore>()
                .Select(store => new State.LocalStore(store, _tasks))
                .ToList();
        }
    }

    /// <summary>The tasks the thread runs now, each with its source partitions.</summary>
    public IReadOnlyList<TaskMetadata> ActiveTasks()
    {
        lock (_tasks)
        {
            return [.. _tasks.Keys.Order().Select(id => new TaskMetadata(id, [.. _groups.SourcePartitionsOf(id)]))];
        }
    }

    /// <summary>The thread's number within its instance, from 1.</summary>
    public int Index { get; }

    private void Run()
    {
        try
        {
            CreateClients();
            LearnSourceTopics();
            _lastCommit = Stopwatch.GetTimestamp();
            Rebalance();
            while (!_stopping)
            {
                if (RejoinDue)
                {
                    Rebalance();
                }

                RunOnce();
            }

            CommitBeforeClosing();
            CloseTasks(clean: true);
        }
        catch (Exception e)
        {
            Failure = e;
            StreamsRuntimeLog.ThreadFailed(_logger, _name, e);
            CloseTasks(clean: false);
        }
        finally
        {
            CloseClients();
            _completion.TrySetResult();
        }
    }

    private void RunOnce()
    {
        var buffered = false;
        lock (_tasks)
        {
            buffered = _tasks.Values.Any(t => t.Buffered > 0);
        }

        var result = _consumer!.Consume(buffered ? TimeSpan.Zero : _config.PollInterval);
        lock (_tasks)
        {
            for (var polled = 0; ; polled++)
            {
                if (result is not null)
                {
                    Route(result);
                }

                _taskPartitions.Apply(_consumer, StartingOffsets);
                if (result is null || polled == 1000)
                {
                    break;
                }

                result = _consumer.Consume(TimeSpan.Zero);
            }

            foreach (var task in _tasks.Values)
            {
                while (task.Process())
                {
                }

                task.MaybePunctuateSystemTime();
            }
        }

        _collector!.ThrowIfFailed();
        if (Stopwatch.GetElapsedTime(_lastCommit) >= _config.EffectiveCommitInterval || _tasks.Values.Any(t => t.State.CommitRequested))
        {
            Commit();
        }
    }

    private void Route(ConsumeResult<byte[]?, byte[]?> result)
    {
        var topic = result.Topic;
        var partition = result.Partition;
        if (_taskPartitions.IsLeaving(topic, partition))
        {
            // Fetched before its task closed: the task's next owner reads it from the committed offset.
            return;
        }

        // Records come in runs of one partition: its task is looked up when the run starts, not for every record.
        var task = _routeTask is { } last && partition.Value == _routePartition && string.Equals(topic, _routeTopic, StringComparison.Ordinal)
            ? last
            : TaskOf(topic, partition);
        var message = result.Message;
        task.AddRecord(new RawRecord(
            topic, partition.Value, result.Offset.Value, message.Key, message.Value, message.Timestamp.UnixTimestampMs, message.Headers ?? []));
    }

    private StreamTask TaskOf(string topic, Partition partition)
    {
        var id = _groups.TaskOf(new TopicPartition(topic, partition));
        if (!_tasks.TryGetValue(id, out var task))
        {
            throw new StreamsException($"Thread {_name} received a record of {topic} [[{partition.Value}]] but has no task {id}");
        }

        (_routeTopic, _routePartition, _routeTask) = (topic, partition.Value, task);
        return task;
    }

    /// <summary>Called whenever a task is made or closed: the last record's task may be gone.</summary>
    private void ForgetRoute() => _routeTask = null;

    /// <summary>Makes the task, its stores restored from their changelogs; the consumer is assigned its source partitions when the changes are applied.</summary>
    private void CreateTask(TaskId id)
    {
        // A standby of the task here closes first: its checkpoint says how far its files are, and they are unlocked.
        _standbys?.Claim(id);
        var state = new TaskState(
            _config.ApplicationId, id, _config.KeySerdeOrMissing, _config.ValueSerdeOrMissing, _collector!, _config.Clock, _globalStores, _config.TaskDirectory(id), _cache);
        var task = new StreamTask(id, _topology, state, _config.DefaultTimestampExtractor, _config.DeserializationExceptionHandler, _logger);
        state.StateManager.LoadCheckpoint(ExactlyOnce);
        _restorer!.Prepare(task);
        task.InitializeStores();
        _restorer!.Restore(task);
        task.InitializeProcessors();
        _tasks.Add(id, task);
        ForgetRoute();
        _taskPartitions.Add(_groups.SourcePartitionsOf(id));
        StreamsRuntimeLog.TaskCreated(_logger, _name, id.ToString());
    }

    private void SetRebalancing(bool rebalancing)
    {
        _rebalancing = rebalancing;
        _rebalanceChanged();
    }

    /// <summary>
    /// Closes tasks the thread no longer has: taken away (committed first, closed clean) or lost (closed dirty, as
    /// they may be running elsewhere); the consumer stops reading their partitions once the rebalance is applied.
    /// </summary>
    private void CloseRevoked(IReadOnlyCollection<TaskId> revoked, bool lost)
    {
        lock (_tasks)
        {
            if (!lost && _tasks.Count > 0)
            {
                _revoking = [.. revoked];
                try
                {
                    CommitBeforeClosing();
                }
                finally
                {
                    _revoking = [];
                }
            }

            foreach (var id in revoked)
            {
                // Its partitions go whether the task is here or was closed by an aborted transaction just now.
                _taskPartitions.Remove(_groups.SourcePartitionsOf(id));
                if (_tasks.Remove(id, out var task))
                {
                    ForgetRoute();
                    task.Close(clean: !lost);
                    _standbys?.Release(id);
                }
            }
        }
    }

    private void CloseTasks(bool clean)
    {
        lock (_tasks)
        {
            if (!clean && ExactlyOnce && _producer is not null)
            {
                try
                {
                    _producer.AbortTransaction(ClientTimeout);
                }
                catch (KafkaException e)
                {
                    StreamsRuntimeLog.AbortFailed(_logger, _name, e.Message);
                }
            }

            foreach (var task in _tasks.Values)
            {
                task.Close(clean);
                _standbys?.Release(task.Id);
            }

            _tasks.Clear();
            ForgetRoute();
        }
    }
}
