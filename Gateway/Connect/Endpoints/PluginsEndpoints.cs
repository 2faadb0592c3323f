using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>The plug-ins: listing them, a plug-in's config keys, and validating a connector config without creating anything.</summary>
internal static class PluginsEndpoints
{
    private const string ConnectorClassKey = "connector.class";

    /// <summary>What Kafka strips from a plug-in's name to compare the simple and the full class name.</summary>
    private const string AliasSuffix = "Connector";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/connector-plugins", ListAsync);
        api.MapGet("/connector-plugins/{plugin}/config", ConfigAsync);
        api.MapPut("/connector-plugins/{plugin}/config/validate", ValidateAsync);
    }

    /// <summary>The connectors; with <c>?connectorsOnly=false</c> converters, transformations and predicates too.</summary>
    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains) =>
        ConnectHttp.Json(await grains.GetGrain<IConnectPluginsGrain>(0).ListAsync(ConnectHttp.Flag(request, "connectorsOnly", absent: true)));

    private static async Task<IResult> ConfigAsync(string plugin, IGrainFactory grains) =>
        ConnectHttp.From(await grains.GetGrain<IConnectPluginsGrain>(0).GetConfigAsync(plugin), keys => ConnectHttp.Json(keys));

    /// <summary>
    /// The body is a connector config; its <c>connector.class</c>, when there is one, must be the plug-in of the path by
    /// its simple or full class name, with or without the <c>Connector</c> suffix, as Kafka compares them.
    /// </summary>
    private static async Task<IResult> ValidateAsync(string plugin, HttpRequest request, IGrainFactory grains)
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

        if (config.TryGetValue(ConnectorClassKey, out var connectorClass) && !IsPlugin(connectorClass, plugin))
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, $"Included connector type {connectorClass} does not match request type {plugin}");
        }

        return ConnectHttp.From(await grains.GetGrain<IConnectPluginsGrain>(0).ValidateAsync(config), infos => ConnectHttp.Json(infos));
    }

    /// <summary>Kafka's check: the connector class, less its suffix, ends with the plug-in's name, less its suffix.</summary>
    internal static bool IsPlugin(string connectorClass, string plugin) =>
        Normalized(connectorClass).EndsWith(Normalized(plugin), StringComparison.Ordinal);

    private static string Normalized(string name) =>
        name.EndsWith(AliasSuffix, StringComparison.Ordinal) && name.Length > AliasSuffix.Length ? name[..^AliasSuffix.Length] : name;
}
