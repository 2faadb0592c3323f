using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka.Loggers;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>The worker's log levels (KIP-495, KIP-976): every logger with a level of its own, one logger's, and setting a namespace's.</summary>
internal static class LoggersEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/admin/loggers", (ConnectLoggers loggers) => ConnectHttp.Json(loggers.All()));
        api.MapGet("/admin/loggers/{logger}", Get);
        api.MapPut("/admin/loggers/{logger}", SetAsync);
    }

    private static IResult Get(string logger, ConnectLoggers loggers) =>
        loggers.Get(logger) is { } level
            ? ConnectHttp.Json(level)
            : ConnectHttp.Error(StatusCodes.Status404NotFound, $"Logger {logger} not found.");

    /// <summary>
    /// <c>{"level": "DEBUG"}</c> with <c>?scope=worker</c> (the default, and what any other scope falls back to, as in
    /// Kafka) answers 200 with the loggers changed; <c>?scope=cluster</c> answers 204.
    /// </summary>
    private static async Task<IResult> SetAsync(string logger, HttpRequest request, ConnectLoggers loggers)
    {
        var (json, unreadable) = await ConnectHttp.ReadAsync(request);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (ConfigMaps.ReadPatch(json, "request", out var invalid) is not { } body)
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, invalid!);
        }

        if (!body.TryGetValue("level", out var levelName) || levelName is null)
        {
            return ConnectHttp.Error(StatusCodes.Status400BadRequest, "Desired 'level' parameter was not specified in request.");
        }

        // Kafka answers an unknown level 404, not 400.
        if (!LoggerLevels.TryParseKafkaName(levelName.ToUpperInvariant(), out var level))
        {
            return ConnectHttp.Error(StatusCodes.Status404NotFound, $"invalid log level '{levelName}'.");
        }

        var affected = loggers.Set(logger, level);
        return string.Equals(request.Query["scope"], "cluster", StringComparison.OrdinalIgnoreCase)
            ? Results.NoContent()
            : ConnectHttp.Json(affected);
    }
}
