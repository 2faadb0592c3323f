using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Connect.Runtime.Plugins;
using Tributary.Grains.Interfaces.Connect;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Topics;
using ConnectorBase = Tributary.Grains.Connect.Api.Connector.Connector;

namespace Tributary.Grains.Actors.Connect;

/// <summary>The connector's running: the connector object, its task configs, and the task grains kept running.</summary>
public sealed partial class ConnectorGrain
{
    private readonly Dictionary<int, (int Generation, ConnectInstanceState State)> _taskStates = [];
    private ConnectorBase? _connector;
    private ConnectInstanceState? _connectorFailure;

    public async Task EnsureRunningAsync()
    {
        if (!Exists)
        {
            await GrainFactory.GetGrain<IConnectClusterGrain>(0).RemoveAsync(Name);
            return;
        }

        if (state.State.TargetState == ConnectorTargetState.Stopped || _connectorFailure is not null)
        {
            return;
        }

        await ApplyTargetStateAsync(reconfigure: _connector is null);
    }

    public async Task ReconfigureTasksAsync()
    {
        if (Exists && _connector is not null && state.State.TargetState != ConnectorTargetState.Stopped)
        {
            await ApplyTargetStateAsync(reconfigure: true);
        }
    }

    public Task ReportTaskStateAsync(int task, int generation, ConnectInstanceState taskState)
    {
        if (generation == state.State.Generation && task < state.State.TaskConfigs.Count)
        {
            _taskStates[task] = (generation, taskState);
        }

        return Task.CompletedTask;
    }

    /// <summary>The status; 404 worded as Kafka's <c>AbstractHerder.connectorStatus</c> for a connector that does not exist.</summary>
    public Task<ConnectResult<ConnectorStateInfo>> GetStatusAsync() =>
        Task.FromResult(Exists
            ? ConnectResult<ConnectorStateInfo>.Ok(Status())
            : ConnectResult<ConnectorStateInfo>.Error(404, $"No status found for connector {Name}"));

    /// <summary>A task's status; Kafka answers a task it has no status of, of any connector or none, with one 404.</summary>
    public Task<ConnectResult<ConnectTaskState>> GetTaskStatusAsync(int task) =>
        Task.FromResult(Exists && task >= 0 && task < state.State.TaskConfigs.Count
            ? ConnectResult<ConnectTaskState>.Ok(new ConnectTaskState(task, TaskState(task)))
            : ConnectResult<ConnectTaskState>.Error(404, $"No status found for task {Name}-{task}"));

    public async Task<ConnectResult<ConnectorStateInfo?>> RestartAsync(bool includeTasks, bool onlyFailed)
    {
        if (!Exists)
        {
            // Kafka's restart of the connector object alone and its restart of connector and tasks word it differently.
            return !includeTasks && !onlyFailed
                ? NotFound<ConnectorStateInfo?>()
                : ConnectResult<ConnectorStateInfo?>.Error(404, $"Unknown connector: {Name}");
        }

        var restartConnector = !onlyFailed || _connectorFailure is not null;
        var tasks = includeTasks
            ? Enumerable.Range(0, state.State.TaskConfigs.Count).Where(i => !onlyFailed || TaskState(i).State == "FAILED").ToList()
            : [];
        foreach (var task in tasks)
        {
            state.State.TaskRestarts[task] = state.State.TaskRestarts.GetValueOrDefault(task) + 1;
            _taskStates[task] = (state.State.Generation, new ConnectInstanceState("RESTARTING", worker.WorkerId, null));
        }

        var status = Status();
        if (restartConnector)
        {
            status = status with { Connector = new ConnectInstanceState("RESTARTING", worker.WorkerId, null) };
            await StopConnectorAsync();
        }

        await state.WriteStateAsync();
        await ApplyTargetStateAsync(reconfigure: restartConnector);
        return ConnectResult<ConnectorStateInfo?>.Ok(!includeTasks && !onlyFailed ? null : status);
    }

    public async Task<ConnectResult<bool>> RestartTaskAsync(int task)
    {
        if (!Exists)
        {
            return NotFound<bool>();
        }

        if (task < 0 || task >= state.State.TaskConfigs.Count)
        {
            return ConnectResult<bool>.Error(404, $"Task {Name}-{task} not found");
        }

        state.State.TaskRestarts[task] = state.State.TaskRestarts.GetValueOrDefault(task) + 1;
        await state.WriteStateAsync();
        await RunTasksAsync();
        return ConnectResult<bool>.Ok(true);
    }

    /// <summary>Makes the connector and its tasks what the target state asks: running, paused, or stopped.</summary>
    private async Task ApplyTargetStateAsync(bool reconfigure)
    {
        if (state.State.TargetState == ConnectorTargetState.Stopped)
        {
            await StopConnectorAsync();
            await StopTasksAsync(state.State.TaskConfigs.Count);
            if (state.State.TaskConfigs.Count > 0)
            {
                state.State.TaskConfigs.Clear();
                state.State.SinkAssignments.Clear();
                state.State.Generation++;
                await state.WriteStateAsync();
            }

            _taskStates.Clear();
            return;
        }

        if (_connector is null)
        {
            if (!await StartConnectorAsync())
            {
                return;
            }

            // A connector started anew (resumed after a stop, which took its task configs away) gives its task configs.
            reconfigure = true;
        }

        var changed = reconfigure && await TakeTaskConfigsAsync();
        changed |= state.State.Type == "sink" && await AssignPartitionsAsync();
        if (changed)
        {
            state.State.Generation++;
            _taskStates.Clear();
            await state.WriteStateAsync();
        }

        await RunTasksAsync();
    }

    private async Task<bool> StartConnectorAsync()
    {
        var config = state.State.Config!;
        try
        {
            var plugin = worker.Plugins.Require(config[ConnectorConfig.ConnectorClass], PluginKind.Source, PluginKind.Sink);
            var connector = worker.Plugins.Create<ConnectorBase>(plugin);
            connector.Initialize(new ConnectorContext(GrainFactory, Name, Fail, loggers.CreateLogger(plugin.Type.FullName!)));
            await connector.StartAsync(config, CancellationToken.None);
            _connector = connector;
            _connectorFailure = null;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ConnectorLog.ConnectorFailed(logger, e, Name);
            _connectorFailure = new ConnectInstanceState("FAILED", worker.WorkerId, e.ToString());
            return false;
        }
    }

    private async Task StopConnectorAsync()
    {
        var connector = _connector;
        _connector = null;
        _connectorFailure = null;
        if (connector is not null)
        {
            try
            {
                await connector.StopAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ConnectorLog.ConnectorStopFailed(logger, e, Name);
            }
        }
    }

    /// <summary>Asks the connector for its task configs; true when they differ from the stored ones.</summary>
    private async Task<bool> TakeTaskConfigsAsync()
    {
        var config = state.State.Config!;
        var parsed = ConnectorConfig.Common().Parse(config);
        var maxTasks = parsed.GetInt(ConnectorConfig.TasksMax);
        List<Dictionary<string, string>> configs;
        try
        {
            configs = [.. _connector!.TaskConfigs(maxTasks).Select(c => new Dictionary<string, string>(c, StringComparer.Ordinal))];
            if (configs.Count > maxTasks && parsed.GetBoolean(ConnectorConfig.TasksMaxEnforce))
            {
                throw new Tributary.Grains.Connect.Api.ConnectException(
                    $"The connector {Name} has generated {configs.Count} tasks, which is greater than {maxTasks}, the maximum number of tasks it is configured to create. This behaviour should be considered a bug and is disallowed. If necessary, it can be permitted by reconfiguring the connector with 'tasks.max.enforce' set to false; however, this option will be removed in a future release of Kafka Connect.");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ConnectorLog.ConnectorFailed(logger, e, Name);
            _connectorFailure = new ConnectInstanceState("FAILED", worker.WorkerId, e.ToString());
            return false;
        }

        foreach (var taskConfig in configs)
        {
            taskConfig[ConnectTaskGrain.TaskClassConfig] = _connector.TaskType.FullName!;
            foreach (var key in new[] { ConnectorConfig.Topics, ConnectorConfig.TopicsRegex })
            {
                if (state.State.Type == "sink" && config.TryGetValue(key, out var value))
                {
                    taskConfig[key] = value;
                }
            }
        }

        var previous = state.State.TaskConfigs;
        if (previous.Count == configs.Count && previous.Zip(configs).All(p => SameConfig(p.First, p.Second)))
        {
            return false;
        }

        if (configs.Count < previous.Count)
        {
            await StopTasksAsync(previous.Count, from: configs.Count);
        }

        state.State.TaskConfigs = configs;
        return true;
    }

    /// <summary>Spreads the sink's topics' partitions over its tasks in turn; true when the assignment changed.</summary>
    private async Task<bool> AssignPartitionsAsync()
    {
        var assignments = await SinkPartitions.AssignAsync(GrainFactory, state.State.Config!, state.State.TaskConfigs.Count);
        if (assignments.Count == state.State.SinkAssignments.Count && assignments.Zip(state.State.SinkAssignments).All(p => p.First.SequenceEqual(p.Second)))
        {
            return false;
        }

        state.State.SinkAssignments = assignments;
        return true;
    }

    private async Task RunTasksAsync()
    {
        var paused = state.State.TargetState == ConnectorTargetState.Paused;
        var generation = state.State.Generation;
        await Task.WhenAll(state.State.TaskConfigs.Select(async (taskConfig, index) =>
        {
            var partitions = state.State.Type == "sink" && index < state.State.SinkAssignments.Count
                ? state.State.SinkAssignments[index].Select(SinkPartitions.Parse).ToList()
                : [];
            var assignment = new ConnectTaskAssignment(
                state.State.Config!, taskConfig, generation, paused, state.State.TaskRestarts.GetValueOrDefault(index), partitions);
            try
            {
                var taskState = await ConnectTaskKeys.Get(GrainFactory, Name, index).RunAsync(assignment);
                if (generation == state.State.Generation && (!_taskStates.TryGetValue(index, out var known) || known.State.State != "RESTARTING" || taskState.State != "UNASSIGNED"))
                {
                    _taskStates[index] = (generation, taskState);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ConnectorLog.TaskUnreachable(logger, e, Name, index);
                _taskStates[index] = (generation, new ConnectInstanceState("UNASSIGNED", worker.WorkerId, null));
            }
        }));
    }

    private async Task StopTasksAsync(int count, int from = 0)
    {
        await Task.WhenAll(Enumerable.Range(from, Math.Max(0, count - from)).Select(async index =>
        {
            try
            {
                await ConnectTaskKeys.Get(GrainFactory, Name, index).StopAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ConnectorLog.TaskUnreachable(logger, e, Name, index);
            }
        }));
    }

    private void Fail(Exception error) => _connectorFailure = new ConnectInstanceState("FAILED", worker.WorkerId, error.ToString());

    private ConnectorStateInfo Status()
    {
        var connector = _connectorFailure ?? new ConnectInstanceState(
            state.State.TargetState switch
            {
                ConnectorTargetState.Stopped => "STOPPED",
                ConnectorTargetState.Paused => "PAUSED",
                _ => _connector is null ? "UNASSIGNED" : "RUNNING",
            },
            worker.WorkerId,
            null);
        return new ConnectorStateInfo(Name, connector, [.. Enumerable.Range(0, state.State.TaskConfigs.Count).Select(i => new ConnectTaskState(i, TaskState(i)))], state.State.Type);
    }

    private ConnectInstanceState TaskState(int task) =>
        _taskStates.TryGetValue(task, out var known) && known.Generation == state.State.Generation
            ? known.State
            : new ConnectInstanceState("UNASSIGNED", worker.WorkerId, null);

    private static bool SameConfig(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
