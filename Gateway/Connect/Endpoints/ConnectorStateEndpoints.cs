using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Connect.Json;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>A connector's state: its status, and restarting, pausing, resuming and stopping it (KIP-875).</summary>
internal static class ConnectorStateEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/connectors/{connector}/status", StatusAsync);
        api.MapPost("/connectors/{connector}/restart", RestartAsync);
        api.MapPut("/connectors/{connector}/pause", (ConnectorName name, IGrainFactory grains) =>
            SetTargetStateAsync(name, grains, ConnectorTargetState.Paused, StatusCodes.Status202Accepted));
        api.MapPut("/connectors/{connector}/resume", (ConnectorName name, IGrainFactory grains) =>
            SetTargetStateAsync(name, grains, ConnectorTargetState.Started, StatusCodes.Status202Accepted));
        api.MapPut("/connectors/{connector}/stop", (ConnectorName name, IGrainFactory grains) =>
            SetTargetStateAsync(name, grains, ConnectorTargetState.Stopped, StatusCodes.Status204NoContent));
    }

    private static async Task<IResult> StatusAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).GetStatusAsync(), status => ConnectHttp.Json(ConnectorStatus.Of(status)));

    /// <summary>
    /// <c>?includeTasks&amp;onlyFailed</c>, both false by default: with both false only the connector object restarts
    /// and the answer is 204 (the API before KIP-745); otherwise 202 with the status naming what restarts.
    /// </summary>
    private static async Task<IResult> RestartAsync(ConnectorName name, HttpRequest request, IGrainFactory grains)
    {
        var includeTasks = ConnectHttp.Flag(request, "includeTasks", absent: false);
        var onlyFailed = ConnectHttp.Flag(request, "onlyFailed", absent: false);
        var grain = grains.GetGrain<IConnectorGrain>(name.Value);
        var result = await grain.RestartAsync(includeTasks, onlyFailed);
        if (!result.IsSuccess || (!includeTasks && !onlyFailed))
        {
            return ConnectHttp.Status(result, StatusCodes.Status204NoContent);
        }

        // The grain names no instances when it restarted nothing more than the connector object; the status says so.
        if (result.Value is { } restarting)
        {
            return ConnectHttp.Json(ConnectorStatus.Of(restarting), StatusCodes.Status202Accepted);
        }

        return ConnectHttp.From(await grain.GetStatusAsync(), status => ConnectHttp.Json(ConnectorStatus.Of(status), StatusCodes.Status202Accepted));
    }

    /// <summary>Pause and resume answer 202 (they take effect asynchronously), stop 204; each is idempotent.</summary>
    private static async Task<IResult> SetTargetStateAsync(ConnectorName name, IGrainFactory grains, ConnectorTargetState state, int status) =>
        ConnectHttp.Status(await grains.GetGrain<IConnectorGrain>(name.Value).SetTargetStateAsync(state), status);
}
