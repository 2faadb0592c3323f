using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>API v3 consumer lags: each committed partition's lag behind the log's end, one of them, and the group's summary.</summary>
internal static class ConsumerLagsEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        var group = cluster.MapGroup("/consumer-groups/{group}");
        group.MapGet("/lags", ListAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Group, "group");
        group.MapGet("/lags/{topic}/partitions/{partition:int}", GetAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Group, "group").RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
        group.MapGet("/lag-summary", GetSummaryAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Group, "group");
    }

    private static async Task<IResult> ListAsync(string group, HttpRequest request, BrokerIdentity broker, IGrainFactory grains, BrokerAuthorizer authorizer)
    {
        if (await DescribableLagsAsync(request, grains, group, authorizer) is not { } lags)
        {
            return GroupNotFound(group);
        }

        var v3 = new ConsumerGroupResources(new V3Resources(request, broker));
        return V3Http.Json(V3Resources.List("KafkaConsumerLagList", v3.Resources.Url($"/consumer-groups/{group}/lags"), lags.Select(l => (JsonNode)v3.Lag(group, l))));
    }

    private static async Task<IResult> GetAsync(string group, string topic, int partition, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        await ConsumerGroupQueries.LagsAsync(grains, group) is { } lags && lags.FirstOrDefault(l => l.Topic == topic && l.Partition == partition) is { } lag
            ? V3Http.Json(new ConsumerGroupResources(new V3Resources(request, broker)).Lag(group, lag))
            : V3Http.Error(StatusCodes.Status404NotFound, $"No lag for {topic}-{partition} in group {group}.");

    private static async Task<IResult> GetSummaryAsync(string group, HttpRequest request, BrokerIdentity broker, IGrainFactory grains, BrokerAuthorizer authorizer) =>
        await DescribableLagsAsync(request, grains, group, authorizer) is { } lags
            ? V3Http.Json(new ConsumerGroupResources(new V3Resources(request, broker)).LagSummary(group, lags))
            : GroupNotFound(group);

    /// <summary>The group's lags on the topics the caller may describe (as Kafka's OffsetFetch of all topics leaves out the others); null when there is no group.</summary>
    private static async Task<List<PartitionLag>?> DescribableLagsAsync(HttpRequest request, IGrainFactory grains, string group, BrokerAuthorizer authorizer)
    {
        if (await ConsumerGroupQueries.LagsAsync(grains, group) is not { } lags)
        {
            return null;
        }

        var visible = (await RestAcls.DescribableAsync(request.HttpContext, authorizer, AclResourceType.Topic, lags.Select(l => l.Topic))).ToHashSet(StringComparer.Ordinal);
        return [.. lags.Where(l => visible.Contains(l.Topic))];
    }

    private static IResult GroupNotFound(string group) => V3Http.Error(StatusCodes.Status404NotFound, $"Consumer group {group} not found.");
}
