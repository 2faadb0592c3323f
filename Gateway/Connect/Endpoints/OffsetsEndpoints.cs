using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Connect.Json;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>A connector's offsets (KIP-875): reading them, and altering or resetting those of a STOPPED connector.</summary>
internal static class OffsetsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/connectors/{connector}/offsets", GetAsync);
        api.MapPatch("/connectors/{connector}/offsets", AlterAsync);
        api.MapDelete("/connectors/{connector}/offsets", ResetAsync);
    }

    private static async Task<IResult> GetAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).GetOffsetsAsync(),
            offsets => Results.Bytes(ConnectorOffsets.Write(offsets), ConnectHttp.ContentType));

    /// <summary><c>{"offsets": [{"partition": {...}, "offset": {...} | null}]}</c>; 200 with what was done.</summary>
    private static async Task<IResult> AlterAsync(ConnectorName name, HttpRequest request, IGrainFactory grains)
    {
        var (json, unreadable) = await ConnectHttp.ReadAsync(request);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (ConnectorOffsets.Read(json, out var invalid) is not { } offsets)
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, invalid!);
        }

        return Done(await grains.GetGrain<IConnectorGrain>(name.Value).AlterOffsetsAsync(offsets));
    }

    private static async Task<IResult> ResetAsync(ConnectorName name, IGrainFactory grains) =>
        Done(await grains.GetGrain<IConnectorGrain>(name.Value).ResetOffsetsAsync());

    private static IResult Done(ConnectResult<string> result) =>
        ConnectHttp.From(result, message => ConnectHttp.Json(new ConnectMessage(message ?? result.Message ?? "")));
}
