using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.RestProxy.V3.Json;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>API v3 brokers: the live brokers of the cluster, and one of them.</summary>
internal static class BrokersEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        cluster.MapGet("/brokers", ListAsync);
        cluster.MapGet("/brokers/{brokerId:int}", GetAsync);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, BrokerIdentity broker, ClusterBrokers brokers)
    {
        var v3 = new V3Resources(request, broker);
        return V3Http.Json(V3Resources.List("KafkaBrokerList", v3.Url("/brokers"), [.. (await brokers.LiveAsync()).Select(v3.Broker)]));
    }

    private static async Task<IResult> GetAsync(int brokerId, HttpRequest request, BrokerIdentity broker, ClusterBrokers brokers) =>
        (await brokers.LiveAsync()).FirstOrDefault(b => b.BrokerId == brokerId) is { } endpoint
            ? V3Http.Json(new V3Resources(request, broker).Broker(endpoint))
            : V3Http.Error(StatusCodes.Status404NotFound, $"Broker {brokerId} not found.");
}
