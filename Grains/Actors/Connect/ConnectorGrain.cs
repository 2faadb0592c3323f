using Microsoft.Extensions.Logging;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// One connector: its config and target state (stored), the connector object (run here), its tasks (run by task grains
/// on any silo) and their statuses. This part answers the REST API's calls on the connector's definition; the
/// connector's running is in <c>ConnectorGrain.Running.cs</c>, its offsets in <c>ConnectorGrain.Offsets.cs</c>.
/// </summary>
public sealed partial class ConnectorGrain(
    [PersistentState("connector", GrainStorageNames.ControlPlane)] IPersistentState<ConnectorState> state,
    ConnectWorker worker,
    ILogger<ConnectorGrain> logger,
    ILoggerFactory loggers)
    : Grain, IConnectorGrain
{
    private string Name => this.GetPrimaryKeyString();

    private bool Exists => state.State.Config is not null;

    public async Task<ConnectResult<ConnectorPutResult>> PutAsync(IReadOnlyDictionary<string, string> config, ConnectorTargetState initialState, bool createOnly)
    {
        var created = !Exists;
        if (!created && createOnly)
        {
            return ConnectResult<ConnectorPutResult>.Error(409, $"Connector {Name} already exists");
        }

        var full = SecretConfigs.KeepHidden(config, state.State.Config, SecretConfigs.SecretKeys(worker.Plugins, config));
        if (full.TryGetValue(ConnectorConfig.Name, out var named) && named != Name)
        {
            return ConnectResult<ConnectorPutResult>.Error(400, "Connector name configuration (" + named + ") doesn't match connector name in the URL (" + Name + ")");
        }

        full[ConnectorConfig.Name] = Name;
        ConfigValidation validation;
        try
        {
            validation = worker.Validator.Validate(full);
        }
        catch (ConfigException e)
        {
            return ConnectResult<ConnectorPutResult>.Error(400, e.Message);
        }

        if (validation.ErrorCount > 0)
        {
            return ConnectResult<ConnectorPutResult>.Error(400, validation.Describe());
        }

        await StopConnectorAsync();
        state.State.Config = full;
        state.State.Type = worker.Plugins.Find(full[ConnectorConfig.ConnectorClass], Tributary.Grains.Connect.Runtime.Plugins.PluginKind.Source) is null ? "sink" : "source";
        if (created)
        {
            state.State.TargetState = initialState;
        }

        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IConnectClusterGrain>(0).AddAsync(Name);
        await ApplyTargetStateAsync(reconfigure: true);
        return ConnectResult<ConnectorPutResult>.Ok(new ConnectorPutResult(created, Info()));
    }

    public async Task<ConnectResult<ConnectorInfo>> PatchAsync(IReadOnlyDictionary<string, string?> patch)
    {
        if (!Exists)
        {
            return NotFound<ConnectorInfo>();
        }

        var config = new Dictionary<string, string>(state.State.Config!, StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                config.Remove(key);
            }
            else
            {
                config[key] = value;
            }
        }

        var put = await PutAsync(config, state.State.TargetState, createOnly: false);
        return put.IsSuccess ? ConnectResult<ConnectorInfo>.Ok(put.Value!.Info) : put.As<ConnectorInfo>();
    }

    public Task<ConnectResult<ConnectorInfo>> GetInfoAsync() =>
        Task.FromResult(Exists ? ConnectResult<ConnectorInfo>.Ok(Info()) : NotFound<ConnectorInfo>());

    public Task<ConnectResult<IReadOnlyList<ConnectTaskInfo>>> GetTasksAsync() =>
        Task.FromResult(Exists
            ? ConnectResult<IReadOnlyList<ConnectTaskInfo>>.Ok([.. state.State.TaskConfigs.Select((c, i) =>
                new ConnectTaskInfo(new ConnectorTaskId(Name, i), SecretConfigs.Mask(c, SecretConfigs.SecretKeys(worker.Plugins, state.State.Config!))))])
            : NotFound<IReadOnlyList<ConnectTaskInfo>>());

    public async Task<ConnectResult<bool>> DeleteAsync()
    {
        if (!Exists)
        {
            return NotFound<bool>();
        }

        await StopConnectorAsync();
        await StopTasksAsync(state.State.TaskConfigs.Count);
        await GrainFactory.GetGrain<IConnectClusterGrain>(0).RemoveAsync(Name);
        await state.ClearStateAsync();
        state.State = new ConnectorState();
        _taskStates.Clear();
        DeactivateOnIdle();
        return ConnectResult<bool>.Ok(true);
    }

    public async Task<ConnectResult<bool>> SetTargetStateAsync(ConnectorTargetState target)
    {
        if (!Exists)
        {
            // Kafka's herders word it so: pause and resume as AbstractHerder, stop as the herders' own.
            return target == ConnectorTargetState.Stopped ? NotFound<bool>() : ConnectResult<bool>.Error(404, $"Unknown connector {Name}");
        }

        if (state.State.TargetState != target)
        {
            state.State.TargetState = target;
            await state.WriteStateAsync();
        }

        await ApplyTargetStateAsync(reconfigure: false);
        return ConnectResult<bool>.Ok(true);
    }

    public Task<ConnectResult<IReadOnlyList<string>>> GetActiveTopicsAsync() =>
        Task.FromResult(Exists ? ConnectResult<IReadOnlyList<string>>.Ok([.. state.State.Topics]) : NotFound<IReadOnlyList<string>>());

    public async Task<ConnectResult<bool>> ResetActiveTopicsAsync()
    {
        if (!Exists)
        {
            return NotFound<bool>();
        }

        state.State.Topics.Clear();
        await state.WriteStateAsync();
        return ConnectResult<bool>.Ok(true);
    }

    public async Task ReportTopicAsync(string topic)
    {
        if (Exists && !state.State.Topics.Contains(topic))
        {
            state.State.Topics.Add(topic);
            await state.WriteStateAsync();
        }
    }

    // Secrets show as [hidden] in every answer (see SecretConfigs).
    private ConnectorInfo Info() =>
        new(Name, SecretConfigs.Mask(state.State.Config!, SecretConfigs.SecretKeys(worker.Plugins, state.State.Config!)), [.. Enumerable.Range(0, state.State.TaskConfigs.Count).Select(i => new ConnectorTaskId(Name, i))], state.State.Type);

    private ConnectResult<T> NotFound<T>() => ConnectResult<T>.Error(404, $"Connector {Name} not found");
}
