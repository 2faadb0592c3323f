using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2 partitions of a topic: the list, one partition, and its offsets.</summary>
internal static class PartitionsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/topics/{topic}/partitions", ListAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
        api.MapGet("/topics/{topic}/partitions/{partition:int}", GetAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
        api.MapGet("/topics/{topic}/partitions/{partition:int}/offsets", GetOffsetsAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
    }

    private static async Task<IResult> ListAsync(string topic, TopicCache topics) =>
        await topics.DescribeAsync(topic) is { } description
            ? RestHttp.Json(Enumerable.Range(0, description.PartitionCount).Select(p => GetPartitionResponse.Of(description, p)).ToList())
            : V2Errors.TopicNotFound(topic);

    private static async Task<IResult> GetAsync(string topic, int partition, TopicCache topics) =>
        await topics.DescribeAsync(topic) is not { } description ? V2Errors.TopicNotFound(topic)
        : partition < 0 || partition >= description.PartitionCount ? V2Errors.PartitionNotFound(topic, partition)
        : RestHttp.Json(GetPartitionResponse.Of(description, partition));

    private static async Task<IResult> GetOffsetsAsync(string topic, int partition, TopicCache topics, IGrainFactory grains)
    {
        if (await topics.DescribeAsync(topic) is not { } description)
        {
            return V2Errors.TopicNotFound(topic);
        }

        if (partition < 0 || partition >= description.PartitionCount)
        {
            return V2Errors.PartitionNotFound(topic, partition);
        }

        var offsets = await PartitionGrainKey.Get(grains, topic, partition).GetOffsetsAsync();
        return RestHttp.Json(new GetPartitionOffsetsResponse(offsets.LogStartOffset, offsets.HighWatermark));
    }
}
