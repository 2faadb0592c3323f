using Orleans.Concurrency;

namespace Tributary.Grains.Interfaces.Connect;

/// <summary>
/// One connector (key: its name): its config, target state and task configs, stored durably, and the statuses of the
/// connector and its tasks. It runs the connector object, gives each task grain its config, and keeps them running:
/// the Connect cluster grain calls <see cref="EnsureRunningAsync"/> every few seconds, which starts again any task
/// whose silo died. Every REST call on a connector comes here.
/// </summary>
[Alias("Tributary.Connect.IConnectorGrain")]
public interface IConnectorGrain : IGrainWithStringKey
{
    /// <summary>Creates the connector or replaces its config; with <paramref name="createOnly"/> an existing one is 409.</summary>
    [Alias("Put")]
    Task<ConnectResult<ConnectorPutResult>> PutAsync(IReadOnlyDictionary<string, string> config, ConnectorTargetState initialState, bool createOnly);

    /// <summary>Changes some keys of the config (KIP-477): a null value removes its key.</summary>
    [Alias("Patch")]
    Task<ConnectResult<ConnectorInfo>> PatchAsync(IReadOnlyDictionary<string, string?> patch);

    [Alias("GetInfo")]
    Task<ConnectResult<ConnectorInfo>> GetInfoAsync();

    [Alias("GetStatus")]
    Task<ConnectResult<ConnectorStateInfo>> GetStatusAsync();

    [Alias("GetTasks")]
    Task<ConnectResult<IReadOnlyList<ConnectTaskInfo>>> GetTasksAsync();

    [Alias("GetTaskStatus")]
    Task<ConnectResult<ConnectTaskState>> GetTaskStatusAsync(int task);

    [Alias("Delete")]
    Task<ConnectResult<bool>> DeleteAsync();

    /// <summary>Pause, resume (STARTED) or stop; stopping shuts the tasks down and empties their configs.</summary>
    [Alias("SetTargetState")]
    Task<ConnectResult<bool>> SetTargetStateAsync(ConnectorTargetState state);

    /// <summary>
    /// Restarts the connector object, and with <paramref name="includeTasks"/> its tasks (only the failed ones with
    /// <paramref name="onlyFailed"/>); the status names the instances restarting, null when only the connector object was.
    /// </summary>
    [Alias("Restart")]
    Task<ConnectResult<ConnectorStateInfo?>> RestartAsync(bool includeTasks, bool onlyFailed);

    [Alias("RestartTask")]
    Task<ConnectResult<bool>> RestartTaskAsync(int task);

    /// <summary>The topics the connector has used since it was created or its topics were reset (KIP-558).</summary>
    [Alias("GetActiveTopics")]
    Task<ConnectResult<IReadOnlyList<string>>> GetActiveTopicsAsync();

    [Alias("ResetActiveTopics")]
    Task<ConnectResult<bool>> ResetActiveTopicsAsync();

    [Alias("GetOffsets")]
    Task<ConnectResult<IReadOnlyList<ConnectorOffset>>> GetOffsetsAsync();

    /// <summary>Changes offsets of a STOPPED connector (KIP-875); the message says what was done.</summary>
    [Alias("AlterOffsets")]
    Task<ConnectResult<string>> AlterOffsetsAsync(IReadOnlyList<ConnectorOffset> offsets);

    [Alias("ResetOffsets")]
    Task<ConnectResult<string>> ResetOffsetsAsync();

    /// <summary>Starts what should run and is not (after a silo's death or a restart of the cluster).</summary>
    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();

    /// <summary>A task reports its state; a report from an older generation of the task's config is ignored.</summary>
    [Alias("ReportTaskState"), OneWay, AlwaysInterleave]
    Task ReportTaskStateAsync(int task, int generation, ConnectInstanceState state);

    /// <summary>A task reports a topic it wrote to or read from.</summary>
    [Alias("ReportTopic"), OneWay, AlwaysInterleave]
    Task ReportTopicAsync(string topic);

    /// <summary>The connector object asks for its task configs to be taken again (Kafka's <c>requestTaskReconfiguration</c>).</summary>
    [Alias("ReconfigureTasks"), OneWay]
    Task ReconfigureTasksAsync();
}
