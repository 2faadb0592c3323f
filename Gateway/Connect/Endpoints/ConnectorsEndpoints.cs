using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using Tributary.Gateway.Connect.Json;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>The connectors: their names (with their status and definitions on request), creating one, one's definition, deleting one.</summary>
internal static class ConnectorsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/connectors", ListAsync);
        api.MapPost("/connectors", CreateAsync);
        api.MapGet("/connectors/{connector}", GetAsync);
        api.MapDelete("/connectors/{connector}", DeleteAsync);
    }

    /// <summary>
    /// The names; with <c>?expand=status</c> and/or <c>?expand=info</c> (repeatable), an object of each connector's
    /// expansions instead. A connector deleted meanwhile is left out and an unknown expansion ignored, as in Kafka.
    /// </summary>
    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains)
    {
        var names = (await grains.GetGrain<IConnectClusterGrain>(0).ListAsync()).Order(StringComparer.Ordinal).ToList();
        if (!request.Query.TryGetValue("expand", out var expansions))
        {
            return ConnectHttp.Json(names);
        }

        var expanded = await Task.WhenAll(names.Select(name => ExpandAsync(grains.GetGrain<IConnectorGrain>(name), expansions)));
        var all = new SortedDictionary<string, Dictionary<string, object>>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (expanded[i].Failure is { } failure)
            {
                return failure;
            }

            if (expanded[i].Expansion is { } expansion)
            {
                all[names[i]] = expansion;
            }
        }

        return ConnectHttp.Json(all);
    }

    private static async Task<(Dictionary<string, object>? Expansion, IResult? Failure)> ExpandAsync(IConnectorGrain connector, StringValues expansions)
    {
        var expansion = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var kind in expansions)
        {
            switch (kind)
            {
                case "status":
                    var status = await connector.GetStatusAsync();
                    if (!status.IsSuccess)
                    {
                        return Skipped(status);
                    }

                    expansion["status"] = ConnectorStatus.Of(status.Value!);
                    break;
                case "info":
                    var info = await connector.GetInfoAsync();
                    if (!info.IsSuccess)
                    {
                        return Skipped(info);
                    }

                    expansion["info"] = info.Value!;
                    break;
            }
        }

        return (expansion, null);
    }

    /// <summary>A connector gone since it was listed is left out; any other failure is the answer.</summary>
    private static (Dictionary<string, object>?, IResult?) Skipped<T>(ConnectResult<T> result) =>
        result.Status == StatusCodes.Status404NotFound ? (null, null) : (null, ConnectHttp.From(result, _ => Results.Empty));

    /// <summary>
    /// Creates a connector: <c>{"name", "config", "initial_state"}</c>; 201 with its definition and its
    /// <c>Location</c>, 409 when it exists, 400 for a missing or invalid name or an invalid config.
    /// </summary>
    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (json, unreadable) = await ConnectHttp.ReadAsync(request);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (CreateConnectorRequest.Read(json, out var invalid) is not { } create)
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, invalid!);
        }

        // Kafka checks the config's name against the request's before its herder validates the name.
        if ((ConnectorConfigs.CheckAndPutName(create.Name, create.Config) ?? ConnectorNames.Invalid(create.Name)) is { } refused)
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, refused);
        }

        var result = await grains.GetGrain<IConnectorGrain>(create.Name).PutAsync(create.Config, create.InitialState, createOnly: true);
        return ConnectHttp.From(result, put => Created(request, create.Name, put.Info));
    }

    /// <summary>201 with the connector's absolute <c>Location</c>, as Jersey resolves Kafka's relative one.</summary>
    internal static IResult Created(HttpRequest request, string connector, ConnectorInfo info)
    {
        request.HttpContext.Response.Headers.Location = $"{request.Scheme}://{request.Host}/connectors/{Uri.EscapeDataString(connector)}";
        return ConnectHttp.Json(info, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectorGrain>(name.Value).GetInfoAsync(), info => ConnectHttp.Json(info));

    private static async Task<IResult> DeleteAsync(ConnectorName name, IGrainFactory grains) =>
        ConnectHttp.Status(await grains.GetGrain<IConnectorGrain>(name.Value).DeleteAsync(), StatusCodes.Status204NoContent);
}
