using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>
/// API v3 brokers: the live brokers of the cluster, one of them, and the removal of one (Confluent Server's
/// <c>DELETE /brokers/{id}</c>): the cluster moves its replicas to the other brokers, after which it can be stopped;
/// <c>/brokers/{id}/partition-replicas</c> shows what it still holds.
/// </summary>
internal static class BrokersEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        cluster.MapGet("/brokers", ListAsync);
        cluster.MapGet("/brokers/{brokerId:int}", GetAsync);
        cluster.MapDelete("/brokers/{brokerId:int}", DeleteAsync).RequireKafkaAcl(AclOperation.Alter, AclResourceType.Cluster);
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

    private static async Task<IResult> DeleteAsync(int brokerId, HttpRequest request, BrokerIdentity broker, ClusterBrokers brokers, IGrainFactory grains)
    {
        if (!await grains.GetGrain<IBrokerRegistryGrain>(0).DrainAsync(brokerId))
        {
            return V3Http.Error(StatusCodes.Status404NotFound, $"Broker {brokerId} not found.");
        }

        var endpoint = (await brokers.LiveAsync()).FirstOrDefault(b => b.BrokerId == brokerId);
        return endpoint is null
            ? Results.StatusCode(StatusCodes.Status202Accepted)
            : V3Http.Json(new V3Resources(request, broker).Broker(endpoint), StatusCodes.Status202Accepted);
    }
}
