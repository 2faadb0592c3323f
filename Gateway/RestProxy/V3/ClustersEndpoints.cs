using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.RestProxy.V3.Json;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>API v3 clusters: the one cluster this proxy serves, under which every other v3 resource hangs.</summary>
internal static class ClustersEndpoints
{
    /// <summary>Maps the cluster list and the cluster; answers the group of routes under <c>/v3/clusters/{clusterId}</c>.</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        api.MapGet("/v3/clusters", List);
        var cluster = api.MapGroup("/v3/clusters/{clusterId}");
        cluster.AddEndpointFilter(OnlyThisClusterAsync);
        cluster.MapGet("", Get);
        return cluster;
    }

    private static IResult List(HttpRequest request, BrokerIdentity broker)
    {
        var v3 = new V3Resources(request, broker);
        return V3Http.Json(V3Resources.List("KafkaClusterList", $"{request.Scheme}://{request.Host}/v3/clusters", [v3.Cluster()]));
    }

    private static IResult Get(HttpRequest request, BrokerIdentity broker) => V3Http.Json(new V3Resources(request, broker).Cluster());

    /// <summary>A cluster id other than this cluster's is 404, whatever the resource under it.</summary>
    private static async ValueTask<object?> OnlyThisClusterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.GetRouteValue("clusterId") as string == context.HttpContext.RequestServices.GetRequiredService<BrokerIdentity>().ClusterId
            ? await next(context)
            : V3Http.Error(StatusCodes.Status404NotFound, "Cluster not found.");
}
