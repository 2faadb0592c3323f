using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>API v3 partitions of a topic: the list, and one partition.</summary>
internal static class PartitionsEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        cluster.MapGet("/topics/{topic}/partitions", ListAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
        cluster.MapGet("/topics/{topic}/partitions/{partition:int}", GetAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
    }

    private static async Task<IResult> ListAsync(string topic, HttpRequest request, BrokerIdentity broker, TopicCache topics)
    {
        if (await topics.DescribeAsync(topic) is not { } description)
        {
            return V3Http.TopicNotFound();
        }

        var v3 = new V3Resources(request, broker);
        return V3Http.Json(V3Resources.List("KafkaPartitionList", v3.Url($"/topics/{topic}/partitions"),
            Enumerable.Range(0, description.PartitionCount).Select(p => (JsonNode)v3.Partition(description, p))));
    }

    private static async Task<IResult> GetAsync(string topic, int partition, HttpRequest request, BrokerIdentity broker, TopicCache topics) =>
        await topics.DescribeAsync(topic) is not { } description ? V3Http.TopicNotFound()
        : partition < 0 || partition >= description.PartitionCount ? V3Http.Error(StatusCodes.Status404NotFound, "This server does not host this topic-partition.")
        : V3Http.Json(new V3Resources(request, broker).Partition(description, partition));
}
