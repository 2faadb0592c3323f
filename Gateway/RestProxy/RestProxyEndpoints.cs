using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tributary.Gateway.Kafka.Topics;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Http;
using Tributary.Gateway.Http.Authentication;
using Tributary.Gateway.RestProxy.V2;
using Tributary.Gateway.RestProxy.V3;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// Confluent's REST Proxy on its own port, as a branch of the pipeline taken only by connections to that port. Its
/// requests become grain calls in this process: no Kafka client sits between the proxy and the partitions. Each
/// resource is a class of its own (<c>V2/</c>, <c>V3/</c>) that maps its routes to its handler methods; this class
/// only puts them together.
/// </summary>
public static class RestProxyEndpoints
{
    public static IServiceCollection AddRestProxyApi(this IServiceCollection services)
    {
        services.AddOptions<RestProxyLimits>().BindConfiguration(RestProxyLimits.Section);
        services.AddSingleton<RestProxyLog>();
        services.AddSingleton<RestRecordWriter>();
        services.AddSingleton<AvroJsonConverter>();
        services.AddSingleton<V2RecordConverter>();
        services.AddSingleton<SchemaValueConverter>();
        services.AddSingleton<V3RecordConverter>();
        services.AddSingleton<SchemaRuleChecks>();
        services.TryAddSingleton<TopicAutoCreation>();
        return services;
    }

    public static IApplicationBuilder UseRestProxyApi(this IApplicationBuilder app, int port) =>
        app.MapPortApi(port, "rest-proxy", Errors, app.ApplicationServices.GetRequiredService<IOptions<RestProxyLimits>>().Value.MaxRequestBodyBytes, (api, _) =>
        {
            api.MapGet("/", Root);

            V2.TopicsEndpoints.Map(api);
            V2.PartitionsEndpoints.Map(api);
            V2.BrokersEndpoints.Map(api);
            ProduceEndpoints.Map(api);
            ConsumersEndpoints.Map(api);
            ConsumerSubscriptionEndpoints.Map(api);
            ConsumerAssignmentsEndpoints.Map(api);
            ConsumerPositionsEndpoints.Map(api);
            ConsumerRecordsEndpoints.Map(api);
            ConsumerOffsetsEndpoints.Map(api);

            var cluster = ClustersEndpoints.Map(api);
            V3.BrokersEndpoints.Map(cluster);
            V3.TopicsEndpoints.Map(cluster);
            TopicConfigsEndpoints.Map(cluster);
            V3.PartitionsEndpoints.Map(cluster);
            ReplicasEndpoints.Map(cluster);
            ReassignmentsEndpoints.Map(cluster);
            RecordsEndpoints.Map(cluster);
            ConsumerGroupsEndpoints.Map(cluster);
            ConsumerLagsEndpoints.Map(cluster);
        }, authentication: app.ApplicationServices.GetService<HttpAuthentications>()?.For(HttpAuthentications.RestProxy));

    private static readonly PortApiErrors Errors = new(
        RestProxyLog.Category, RestHttp.V2, RestErrors.KafkaError, "Internal error", RestErrors.KafkaRetriableError);

    /// <summary>The root answers an empty object, as Confluent's does.</summary>
    private static IResult Root() => RestHttp.Json(new Dictionary<string, string>());
}
