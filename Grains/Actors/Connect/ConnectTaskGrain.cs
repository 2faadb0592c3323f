using Orleans.Concurrency;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Connect.Runtime.Errors;
using Tributary.Grains.Connect.Runtime.Metrics;
using Tributary.Grains.Connect.Runtime.Plugins;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.Connect.Runtime.Transforms;
using Tributary.Grains.Connect.Runtime.Worker;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Connect;
using TaskStatus = Tributary.Grains.Connect.Runtime.Tasks.TaskStatus;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// One task of a connector, on whichever silo Orleans placed it: it runs the task's runner on the thread pool (the
/// runner awaits the outside world and grain calls, never this grain), tells its connector of every state change, and
/// stops the runner when told or when the grain is deactivated (its silo shutting down), committing what it can.
/// </summary>
[Reentrant]
public sealed partial class ConnectTaskGrain(
    ConnectWorker worker, TimeProvider time, IBrokerConfigs brokerConfigs, LocalConnectTasks local, ConnectMetrics metrics,
    ILogger<ConnectTaskGrain> logger, ILoggerFactory loggers)
    : Grain, IConnectTaskGrain
{
    /// <summary>The config key under which a task config names its task class (Kafka's <c>task.class</c>).</summary>
    public const string TaskClassConfig = "task.class";

    private ConnectTaskAssignment? _assignment;
    private TaskRunner? _runner;
    private CancellationTokenSource? _stop;
    private Task? _running;
    private ConnectInstanceState? _failedToStart;
    private TaskMetrics? _metrics;

    private int TaskIndex => (int)this.GetPrimaryKeyLong(out _);

    public async Task<ConnectInstanceState> RunAsync(ConnectTaskAssignment assignment)
    {
        if (_assignment is { } current && current.Generation == assignment.Generation && current.RestartCount == assignment.RestartCount &&
            (_runner is not null || _failedToStart is not null))
        {
            _assignment = assignment;
            if (assignment.Paused)
            {
                _runner?.Pause();
            }
            else
            {
                _runner?.Resume();
            }

            return State();
        }

        await StopRunnerAsync();
        _assignment = assignment;
        await StartAsync(assignment);
        return State();
    }

    public async Task StopAsync()
    {
        await StopRunnerAsync();
        _assignment = null;
        DeactivateOnIdle();
    }

    public Task<ConnectInstanceState> GetStateAsync() => Task.FromResult(State());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopRunnerAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task StartAsync(ConnectTaskAssignment assignment)
    {
        _failedToStart = null;
        var connector = ConnectorName();
        var index = TaskIndex;
        var generation = assignment.Generation;
        var grains = GrainFactory;
        void Report(TaskStatus status) =>
            _ = grains.GetGrain<IConnectorGrain>(connector).ReportTaskStateAsync(index, generation, Instance(status));

        var taskMetrics = metrics.For(connector, index);
        try
        {
            _runner = await CreateRunnerAsync(assignment, connector, Report, taskMetrics);
            local.Add(connector, index);

            // One count per task however calls interleave on this reentrant grain: the count it held goes first.
            _metrics?.TaskStopped();
            _metrics = taskMetrics;
            taskMetrics.TaskStarted();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogStartFailed(logger, e, connector, index);
            _failedToStart = Instance(TaskStatus.Failed(e));
            Report(TaskStatus.Failed(e));
            return;
        }

        if (assignment.Paused)
        {
            _runner.Pause();
        }

        _stop = new CancellationTokenSource();
        var runner = _runner;
        var token = _stop.Token;
        _running = Task.Run(() => runner.RunAsync(token));
    }

    private async Task<TaskRunner> CreateRunnerAsync(ConnectTaskAssignment assignment, string connector, Action<TaskStatus> report, TaskMetrics taskMetrics)
    {
        var taskClass = assignment.TaskConfig.GetValueOrDefault(TaskClassConfig)
            ?? throw new Tributary.Grains.Connect.Api.ConnectException("The task config names no task class.");
        // The task class is named as its connector's assembly knows it, which may be a plug-in's own load context.
        var connectorPlugin = worker.Plugins.Require(assignment.ConnectorConfig[ConnectorConfig.ConnectorClass], PluginKind.Source, PluginKind.Sink);
        var type = connectorPlugin.Type.Assembly.GetType(taskClass, throwOnError: false)
            ?? throw new Tributary.Grains.Connect.Api.ConnectException($"Task class {taskClass} not found beside connector {connectorPlugin.ClassName}.");
        var errorConfig = ErrorHandlingConfig.From(assignment.ConnectorConfig);
        var errors = new RetryWithTolerance(errorConfig, time, taskMetrics);
        var reporters = new List<IErrorReporter>();
        if (errorConfig.LogEnabled)
        {
            reporters.Add(new LogReporter(loggers.CreateLogger("Tributary.Connect.Errors"), connector, TaskIndex, errorConfig.LogIncludeMessages, taskMetrics));
        }

        var converters = TaskConverters.Create(worker.Plugins, worker.Config, assignment.ConnectorConfig);
        var grains = GrainFactory;
        if (typeof(SourceTask).IsAssignableFrom(type))
        {
            var exactlyOnce = await ExactlyOnceAsync(assignment.ConnectorConfig, connector);
            return new SourceTaskRunner(
                (SourceTask)Activator.CreateInstance(type)!, assignment.TaskConfig, converters,
                TransformationChain<SourceRecord>.Build(worker.Plugins, assignment.ConnectorConfig), errors,
                (IRecordWriter?)exactlyOnce?.Writer ?? SourceWriter(assignment.ConnectorConfig, null),
                exactlyOnce is null ? new GrainSourceOffsetStore(grains, connector) : new TopicSourceOffsetStore(grains, exactlyOnce.OffsetsTopic, connector),
                worker.Config, time, report,
                topic => _ = grains.GetGrain<IConnectorGrain>(connector).ReportTopicAsync(topic), reporters, exactlyOnce,
                loggers.CreateLogger(type.FullName!), taskMetrics);
        }

        var partitions = assignment.Partitions.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList();
        foreach (var topic in partitions.Select(p => p.Topic).Distinct())
        {
            _ = grains.GetGrain<IConnectorGrain>(connector).ReportTopicAsync(topic);
        }

        if (errorConfig.DeadLetterTopic.Length > 0)
        {
            await ConnectTopics.EnsureDeadLetterTopicAsync(grains, errorConfig.DeadLetterTopic, errorConfig.DeadLetterReplicationFactor);
            reporters.Add(new DeadLetterQueueReporter(
                new PartitionRecordWriter(grains, time), errorConfig.DeadLetterTopic, errorConfig.DeadLetterContextHeaders, connector, TaskIndex, taskMetrics));
        }

        return new SinkTaskRunner(
            (SinkTask)Activator.CreateInstance(type)!, assignment.TaskConfig, partitions, converters,
            TransformationChain<SinkRecord>.Build(worker.Plugins, assignment.ConnectorConfig), errors,
            new PartitionRecordReader(grains, connector, ClientOverrides.From(assignment.ConnectorConfig).AutoOffsetReset), worker.Config, time, report, reporters,
            ClientOverrides.From(assignment.ConnectorConfig).MaxPollRecords, loggers.CreateLogger(type.FullName!), taskMetrics);
    }

    /// <summary>
    /// With the worker's <c>exactly.once.source.support=enabled</c>, a source task writes in transactions of its own
    /// transactional id (<c>&lt;group.id&gt;-&lt;connector&gt;-&lt;task&gt;</c>, as Kafka names it), its offsets to the
    /// connector's <c>offsets.storage.topic</c> or the worker's; null for at-least-once delivery.
    /// </summary>
    private async Task<ExactlyOnceSource?> ExactlyOnceAsync(IReadOnlyDictionary<string, string> config, string connector)
    {
        if (!worker.Config.ExactlyOnceSource)
        {
            return null;
        }

        var offsetsTopic = config.GetValueOrDefault(ConnectorConfig.OffsetsStorageTopic) is { Length: > 0 } own ? own.Trim() : worker.Config.OffsetsTopic;
        await ConnectTopics.EnsureOffsetsTopicAsync(GrainFactory, offsetsTopic);
        var producer = new TransactionalProducer(GrainFactory, $"{worker.Config.GroupId}-{connector}-{TaskIndex}");
        TimeSpan? interval = config.GetValueOrDefault(ConnectorConfig.TransactionBoundaryInterval) is { Length: > 0 } ms
            ? TimeSpan.FromMilliseconds(long.Parse(ms, System.Globalization.CultureInfo.InvariantCulture))
            : null;
        return new ExactlyOnceSource(
            SourceWriter(config, producer),
            ExactlyOnceSource.ParseBoundary(config.GetValueOrDefault(ConnectorConfig.TransactionBoundary)),
            interval, connector, offsetsTopic);
    }

    private PartitionRecordWriter SourceWriter(IReadOnlyDictionary<string, string> config, TransactionalProducer? producer) =>
        new(GrainFactory, time, producer, TopicCreation.From(config), brokerConfigs.AutoCreateTopicsEnable,
            Enum.Parse<KafkaFormats.Records.CompressionType>(ClientOverrides.From(config).CompressionType, ignoreCase: true));

    private async Task StopRunnerAsync()
    {
        local.Remove(ConnectorName(), TaskIndex);
        _metrics?.TaskStopped();
        _metrics = null;
        if (_stop is null || _running is null)
        {
            _runner = null;
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(45));
        }
        catch (TimeoutException)
        {
            LogStopSlow(logger, ConnectorName(), TaskIndex);
        }

        _stop.Dispose();
        _stop = null;
        _running = null;
        _runner = null;
    }

    private ConnectInstanceState State() =>
        _failedToStart ?? (_runner is null ? new ConnectInstanceState("UNASSIGNED", worker.WorkerId, null) : Instance(_runner.Status));

    private ConnectInstanceState Instance(TaskStatus status) => new(status.State, worker.WorkerId, status.Trace);

    private string ConnectorName()
    {
        this.GetPrimaryKeyLong(out var extension);
        return extension ?? "";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {Task} of connector {Connector} could not start")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string connector, int task);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {Task} of connector {Connector} did not stop within 45 s")]
    private static partial void LogStopSlow(ILogger logger, string connector, int task);
}
