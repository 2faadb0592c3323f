using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>
/// API v3 partition reassignments in progress (Confluent's ListPartitionReassignments over REST): every topic's, one
/// topic's (empty for a topic without any, as Confluent filters the cluster's list), or one partition's (404 when it
/// is not being reassigned). Read from the topics' registrations, not the brokers' caches, so a move just started or
/// just ended shows at once.
/// </summary>
internal static class ReassignmentsEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        cluster.MapGet("/topics/-/partitions/-/reassignment", ListAllAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Cluster);
        cluster.MapGet("/topics/{topic}/partitions/-/reassignment", ListByTopicAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Cluster);
        cluster.MapGet("/topics/{topic}/partitions/{partition:int}/reassignment", GetAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Cluster);
    }

    private static async Task<IResult> ListAllAsync(HttpRequest request, BrokerIdentity broker, IGrainFactory grains)
    {
        var v3 = new V3Resources(request, broker);
        var names = (await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()).Order(StringComparer.Ordinal).ToList();
        var described = await Task.WhenAll(names.Select(n => grains.GetGrain<ITopicGrain>(n).DescribeAsync()));
        return V3Http.Json(V3Resources.List(
            "KafkaReassignmentList", v3.Url("/topics/-/partitions/-/reassignment"), described.OfType<TopicDescription>().SelectMany(t => Ongoing(v3, t))));
    }

    private static async Task<IResult> ListByTopicAsync(string topic, HttpRequest request, BrokerIdentity broker, IGrainFactory grains)
    {
        var v3 = new V3Resources(request, broker);
        var described = TopicNames.Validate(topic) is null ? await grains.GetGrain<ITopicGrain>(topic).DescribeAsync() : null;
        return V3Http.Json(V3Resources.List(
            "KafkaReassignmentList", v3.Url($"/topics/{topic}/partitions/-/reassignment"), described is null ? [] : Ongoing(v3, described)));
    }

    private static async Task<IResult> GetAsync(string topic, int partition, HttpRequest request, BrokerIdentity broker, IGrainFactory grains)
    {
        var described = TopicNames.Validate(topic) is null ? await grains.GetGrain<ITopicGrain>(topic).DescribeAsync() : null;
        if (described is null || partition < 0 || partition >= described.PartitionCount)
        {
            return V3Http.TopicNotFound();
        }

        var registration = described.Partitions[partition];
        return registration.IsReassigning
            ? V3Http.Json(new V3Resources(request, broker).Reassignment(topic, partition, registration))
            : V3Http.Error(StatusCodes.Status404NotFound, $"Partition {partition} of topic {topic} is not being reassigned.");
    }

    private static IEnumerable<JsonNode> Ongoing(V3Resources v3, TopicDescription topic) =>
        Enumerable.Range(0, topic.PartitionCount)
            .Where(p => topic.Partitions[p].IsReassigning)
            .Select(p => (JsonNode)v3.Reassignment(topic.Name, p, topic.Partitions[p]));
}
