using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Connect.Json;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>The topics a connector has used (KIP-558), and forgetting them.</summary>
internal static class TopicsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/connectors/{connector}/topics", GetAsync);
        api.MapPut("/connectors/{connector}/topics/reset", ResetAsync);
    }

    /// <summary><c>{"c1": {"topics": [...]}}</c>.</summary>
    private static async Task<IResult> GetAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).GetActiveTopicsAsync(), topics => ConnectHttp.Json(
            new Dictionary<string, ActiveTopics>(StringComparer.Ordinal) { [name.Value] = new ActiveTopics(topics) }));

    private static async Task<IResult> ResetAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.Status(await grains.GetGrain<IConnectorGrain>(name.Value).ResetActiveTopicsAsync(), StatusCodes.Status202Accepted);
}
