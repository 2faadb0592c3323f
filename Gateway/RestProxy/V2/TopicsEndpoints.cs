using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2 topics: their names, and a topic with its configs and partitions.</summary>
internal static class TopicsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/topics", ListAsync);
        api.MapGet("/topics/{topic}", GetAsync)
            .RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic")
            .RequireKafkaAcl(AclOperation.DescribeConfigs, AclResourceType.Topic, "topic");
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, BrokerAuthorizer authorizer) =>
        RestHttp.Json((await RestAcls.DescribableAsync(context, authorizer, AclResourceType.Topic, await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()))
            .Order(StringComparer.Ordinal).ToList());

    private static async Task<IResult> GetAsync(string topic, TopicCache topics, IGrainFactory grains)
    {
        if (await topics.DescribeAsync(topic) is not { } description)
        {
            return V2Errors.TopicNotFound(topic);
        }

        var configs = await grains.GetGrain<ITopicGrain>(topic).DescribeConfigsAsync(null, includeSynonyms: false, includeDocumentation: false);
        return RestHttp.Json(new GetTopicResponse(
            topic,
            configs.Entries.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value!),
            Enumerable.Range(0, description.PartitionCount).Select(p => GetPartitionResponse.Of(description, p)).ToList()));
    }
}
