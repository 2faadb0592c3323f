using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.RestProxy.V2.Json;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2 brokers: the ids of the live ones.</summary>
internal static class BrokersEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/brokers", List);

    private static IResult List(ClusterBrokers brokers) => RestHttp.Json(new BrokerList([.. brokers.LiveIds()]));
}
