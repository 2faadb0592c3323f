using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.RestProxy;

/// <summary>API v2: topics, their partitions and offsets, and the brokers.</summary>
public static partial class RestProxyEndpoints
{
    private static void MapV2Metadata(RouteGroupBuilder api)
    {
        api.MapGet("/topics", async (IGrainFactory grains) =>
            RestHttp.Json((await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()).Order(StringComparer.Ordinal).ToList()));

        api.MapGet("/topics/{topic}", async (string topic, TopicCache topics, IGrainFactory grains) =>
        {
            if (await topics.DescribeAsync(topic) is not { } description)
            {
                return TopicNotFound(topic);
            }

            var configs = await grains.GetGrain<ITopicGrain>(topic).DescribeConfigsAsync(null, includeSynonyms: false, includeDocumentation: false);
            return RestHttp.Json(new V2TopicBody(
                topic,
                configs.Entries.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value!),
                Enumerable.Range(0, description.PartitionCount).Select(p => V2Partition(description, p)).ToList()));
        });

        api.MapGet("/topics/{topic}/partitions", async (string topic, TopicCache topics) =>
            await topics.DescribeAsync(topic) is { } description
                ? RestHttp.Json(Enumerable.Range(0, description.PartitionCount).Select(p => V2Partition(description, p)).ToList())
                : TopicNotFound(topic));

        api.MapGet("/topics/{topic}/partitions/{partition:int}", async (string topic, int partition, TopicCache topics) =>
            await topics.DescribeAsync(topic) is not { } description ? TopicNotFound(topic)
            : partition < 0 || partition >= description.PartitionCount ? PartitionNotFound(topic, partition)
            : RestHttp.Json(V2Partition(description, partition)));

        api.MapGet("/topics/{topic}/partitions/{partition:int}/offsets", async (string topic, int partition, TopicCache topics, IGrainFactory grains) =>
        {
            if (await topics.DescribeAsync(topic) is not { } description)
            {
                return TopicNotFound(topic);
            }

            if (partition < 0 || partition >= description.PartitionCount)
            {
                return PartitionNotFound(topic, partition);
            }

            var offsets = await PartitionGrainKey.Get(grains, topic, partition).GetOffsetsAsync();
            return RestHttp.Json(new V2OffsetsBody(offsets.LogStartOffset, offsets.HighWatermark));
        });

        api.MapGet("/brokers", (ClusterBrokers brokers) => RestHttp.Json(new V2BrokersBody([.. brokers.LiveIds()])));
    }

    private static V2PartitionBody V2Partition(TopicDescription topic, int partition)
    {
        var leader = topic.PartitionBrokers[partition];
        return new V2PartitionBody(partition, leader, [new V2ReplicaBody(leader, true, true)]);
    }

    private static IResult TopicNotFound(string topic) => RestHttp.Error(RestErrors.TopicNotFound, $"Topic {topic} not found.");

    private static IResult PartitionNotFound(string topic, int partition) =>
        RestHttp.Error(RestErrors.PartitionNotFound, $"Partition {partition} of topic {topic} not found.");
}

internal sealed record V2TopicBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("configs")] Dictionary<string, string> Configs,
    [property: JsonPropertyName("partitions")] List<V2PartitionBody> Partitions);

internal sealed record V2PartitionBody(
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("leader")] int Leader,
    [property: JsonPropertyName("replicas")] List<V2ReplicaBody> Replicas);

internal sealed record V2ReplicaBody(
    [property: JsonPropertyName("broker")] int Broker,
    [property: JsonPropertyName("leader")] bool Leader,
    [property: JsonPropertyName("in_sync")] bool InSync);

internal sealed record V2OffsetsBody(
    [property: JsonPropertyName("beginning_offset")] long BeginningOffset,
    [property: JsonPropertyName("end_offset")] long EndOffset);

internal sealed record V2BrokersBody([property: JsonPropertyName("brokers")] List<int> Brokers);
