using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tributary.Gateway.Http;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// Confluent's REST Proxy on its own port, as a branch of the pipeline taken only by connections to that port. Its
/// requests become grain calls in this process: no Kafka client sits between the proxy and the partitions.
/// </summary>
public static partial class RestProxyEndpoints
{
    public static IServiceCollection AddRestProxyApi(this IServiceCollection services)
    {
        services.AddSingleton<RestRecordWriter>();
        services.AddSingleton<AvroJsonConverter>();
        services.AddSingleton<V3RecordConverter>();
        return services;
    }

    public static IApplicationBuilder UseRestProxyApi(this IApplicationBuilder app, int port) =>
        app.MapPortApi(port, Errors, (api, logger) =>
        {
            api.MapGet("/", () => RestHttp.Json(new Dictionary<string, string>()));
            MapV2Metadata(api);
            MapV2Produce(api, logger);
            MapV2Consumers(api);
            var cluster = V3Cluster(api);
            MapV3Topics(api, cluster);
            MapV3Records(cluster, logger);
            MapV3Groups(cluster);
        });

    private static readonly PortApiErrors Errors = new(
        "Tributary.Gateway.RestProxy", RestHttp.V2, RestErrors.KafkaError, "Internal error", RestErrors.KafkaRetriableError);

    [LoggerMessage(Level = LogLevel.Information, Message = "REST proxy {Method} {Path} answered {ErrorCode}: {Message}")]
    private static partial void LogRejected(ILogger logger, string method, string path, int errorCode, string? message);
}
