using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Connect.Endpoints;
using Tributary.Gateway.Http;
using Tributary.Gateway.Http.Authentication;

namespace Tributary.Gateway.Connect;

/// <summary>
/// Kafka Connect's REST API on its own port, as a branch of the pipeline taken only by connections to that port. Every
/// request about a connector becomes a call to that connector's grain, which any silo can serve: there is no leader to
/// forward to, so none of Kafka's "rebalance in progress" 409s. Each resource is a class of its own
/// (<c>Endpoints/</c>); this class only puts them together. It needs the Kafka gateway's services (the broker's
/// identity and registration, the loggers).
/// </summary>
public static class ConnectEndpoints
{
    private static readonly PortApiErrors Errors = new(
        ConnectLog.Category, ConnectHttp.ContentType, StatusCodes.Status500InternalServerError, "Internal server error", StatusCodes.Status500InternalServerError);

    public static IServiceCollection AddConnectApi(this IServiceCollection services)
    {
        services.AddOptions<ConnectOptions>().BindConfiguration(ConnectOptions.Section);
        services.AddSingleton<ConnectLog>();
        services.AddSingleton<ConnectLoggers>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    public static IApplicationBuilder UseConnectApi(this IApplicationBuilder app, int port) =>
        app.MapPortApi(port, "connect", Errors, app.ApplicationServices.GetRequiredService<IOptions<ConnectOptions>>().Value.MaxRequestBodyBytes, (api, _) =>
        {
            api.AddEndpointFilter(ConnectHttp.LogErrorsAsync);
            api.AddEndpointFilter(ConnectAcls.RequireAdminAsync);
            RootEndpoints.Map(api);
            ConnectorsEndpoints.Map(api);
            ConnectorConfigEndpoints.Map(api);
            ConnectorStateEndpoints.Map(api);
            TasksEndpoints.Map(api);
            TopicsEndpoints.Map(api);
            OffsetsEndpoints.Map(api);
            PluginsEndpoints.Map(api);
            LoggersEndpoints.Map(api);
        }, authentication: app.ApplicationServices.GetService<HttpAuthentications>()?.For(HttpAuthentications.Connect));
}
