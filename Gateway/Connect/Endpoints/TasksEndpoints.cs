using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Connect.Json;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>A connector's tasks: their configs (and the deprecated map of them), a task's status, restarting a task.</summary>
internal static class TasksEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/connectors/{connector}/tasks", ListAsync);
        api.MapGet("/connectors/{connector}/tasks-config", ConfigsAsync);

        // A task id that is not an integer matches no route: 404, as Jersey answers a path parameter it cannot convert.
        api.MapGet("/connectors/{connector}/tasks/{task:int}/status", StatusAsync);
        api.MapPost("/connectors/{connector}/tasks/{task:int}/restart", RestartAsync);
    }

    /// <summary><c>[{"id": {"connector", "task"}, "config": {...}}]</c>.</summary>
    private static async Task<IResult> ListAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).GetTasksAsync(), tasks => ConnectHttp.Json(tasks));

    /// <summary><c>{"c1-0": {...}}</c>, keyed as Kafka writes a task's id (deprecated in 3.x, gone in 4.0).</summary>
    private static async Task<IResult> ConfigsAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).GetTasksAsync(), tasks => ConnectHttp.Json(
            tasks.ToDictionary(t => $"{t.Id.Connector}-{t.Id.Task}", t => t.Config, StringComparer.Ordinal)));

    private static async Task<IResult> StatusAsync(ConnectorName name, int task, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).GetTaskStatusAsync(task), status => ConnectHttp.Json(TaskInstanceStatus.Of(status)));

    private static async Task<IResult> RestartAsync(ConnectorName name, int task, IGrainFactory grains) =>
        ConnectHttp.Status(await grains.GetGrain<IConnectorGrain>(name.Value).RestartTaskAsync(task), StatusCodes.Status204NoContent);
}
