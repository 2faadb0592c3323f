using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>A connector's config: reading it, replacing it (which creates the connector when there is none), patching it (KIP-477).</summary>
internal static class ConnectorConfigEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/connectors/{connector}/config", GetAsync);
        api.MapPut("/connectors/{connector}/config", PutAsync);
        api.MapPatch("/connectors/{connector}/config", PatchAsync);
    }

    private static async Task<IResult> GetAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).GetInfoAsync(), info => ConnectHttp.Json(info.Config));

    /// <summary>
    /// The body is the whole config; a <c>name</c> in it must be the path's. 201 with <c>Location</c> when this created
    /// the connector (running), 200 when it replaced the config.
    /// </summary>
    private static async Task<IResult> PutAsync(ConnectorName name, HttpRequest request, IGrainFactory grains)
    {
        var (json, unreadable) = await ConnectHttp.ReadAsync(request);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (ConfigMaps.Read(json, "connector's config", out var invalid) is not { } config)
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, invalid!);
        }

        if ((ConnectorConfigs.CheckAndPutName(name.Value, config) ?? ConnectorNames.Invalid(name.Value)) is { } refused)
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, refused);
        }

        var result = await grains.GetGrain<IConnectorGrain>(name.Value).PutAsync(config, ConnectorTargetState.Started, createOnly: false);
        return ConnectHttp.From(result, put => put.Created
            ? ConnectorsEndpoints.Created(request, name.Value, put.Info)
            : ConnectHttp.Json(put.Info));
    }

    /// <summary>Changes the keys the body names; a null value removes its key. 200 with the connector's definition.</summary>
    private static async Task<IResult> PatchAsync(ConnectorName name, HttpRequest request, IGrainFactory grains)
    {
        var (json, unreadable) = await ConnectHttp.ReadAsync(request);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (ConfigMaps.ReadPatch(json, "connector's config patch", out var invalid) is not { } patch)
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, invalid!);
        }

        return ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).PatchAsync(patch), info => ConnectHttp.Json(info));
    }
}
