using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>
/// API v3 replicas: a partition's, in preference order, one of them, and every replica a broker holds (by topic name,
/// then partition, as Confluent's search by broker sorts them).
/// </summary>
internal static class ReplicasEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        cluster.MapGet("/topics/{topic}/partitions/{partition:int}/replicas", ListAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
        cluster.MapGet("/topics/{topic}/partitions/{partition:int}/replicas/{brokerId:int}", GetAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
        cluster.MapGet("/brokers/{brokerId:int}/partition-replicas", ListByBrokerAsync);
    }

    private static async Task<IResult> ListAsync(string topic, int partition, HttpRequest request, BrokerIdentity broker, TopicCache topics)
    {
        if (await PartitionAsync(topic, partition, topics) is not { } description)
        {
            return V3Http.TopicNotFound();
        }

        var v3 = new V3Resources(request, broker);
        return V3Http.Json(V3Resources.List("KafkaReplicaList", v3.Url($"/topics/{topic}/partitions/{partition}/replicas"),
            description.Partitions[partition].Replicas.Select(b => (JsonNode)v3.Replica(description, partition, b))));
    }

    private static async Task<IResult> GetAsync(string topic, int partition, int brokerId, HttpRequest request, BrokerIdentity broker, TopicCache topics) =>
        await PartitionAsync(topic, partition, topics) is not { } description ? V3Http.TopicNotFound()
        : !description.Partitions[partition].Replicas.Contains(brokerId) ? V3Http.Error(StatusCodes.Status404NotFound, $"Replica {brokerId} not found.")
        : V3Http.Json(new V3Resources(request, broker).Replica(description, partition, brokerId));

    /// <summary>The broker's replicas of the topics the caller may describe, as Confluent lists them from a filtered topic list.</summary>
    private static async Task<IResult> ListByBrokerAsync(int brokerId, HttpRequest request, BrokerIdentity broker, TopicCache topics, IGrainFactory grains, BrokerAuthorizer authorizer)
    {
        var v3 = new V3Resources(request, broker);
        var names = (await RestAcls.DescribableAsync(request.HttpContext, authorizer, AclResourceType.Topic, await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()))
            .Order(StringComparer.Ordinal);
        var described = await Task.WhenAll(names.Select(async n => await topics.DescribeAsync(n)));
        var replicas = described.OfType<TopicDescription>()
            .SelectMany(t => Enumerable.Range(0, t.PartitionCount).Where(p => t.Partitions[p].Replicas.Contains(brokerId)).Select(p => (JsonNode)v3.Replica(t, p, brokerId)));
        return V3Http.Json(V3Resources.List("KafkaReplicaList", v3.Url($"/brokers/{brokerId}/partition-replicas"), replicas));
    }

    private static async Task<TopicDescription?> PartitionAsync(string topic, int partition, TopicCache topics) =>
        await topics.DescribeAsync(topic) is { } description && partition >= 0 && partition < description.PartitionCount ? description : null;
}
