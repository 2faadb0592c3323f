using System.Text.Json.Serialization;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Json;

/// <summary>
/// A connector's status as Kafka's <c>ConnectorStateInfo</c> writes it: a task's id and state side by side
/// (<c>{"id": 0, "state", "worker_id", "trace"}</c>), and no <c>trace</c> unless there is one.
/// </summary>
internal sealed record ConnectorStatus(string Name, InstanceStatus Connector, IReadOnlyList<TaskInstanceStatus> Tasks, string Type)
{
    public static ConnectorStatus Of(ConnectorStateInfo info) =>
        new(info.Name, InstanceStatus.Of(info.Connector), [.. info.Tasks.Select(TaskInstanceStatus.Of)], info.Type);
}

internal sealed record InstanceStatus(
    string State,
    string WorkerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Trace)
{
    public static InstanceStatus Of(ConnectInstanceState state) => new(state.State, state.WorkerId, NullIfEmpty(state.Trace));

    /// <summary>Kafka leaves out an empty trace as well as a missing one (Jackson's NON_EMPTY).</summary>
    internal static string? NullIfEmpty(string? trace) => string.IsNullOrEmpty(trace) ? null : trace;
}

internal sealed record TaskInstanceStatus(
    int Id,
    string State,
    string WorkerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Trace)
{
    public static TaskInstanceStatus Of(ConnectTaskState task) =>
        new(task.Id, task.State.State, task.State.WorkerId, InstanceStatus.NullIfEmpty(task.State.Trace));
}
