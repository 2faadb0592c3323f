using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2: the partitions a consumer instance is assigned by hand (instead of subscribing).</summary>
internal static class ConsumerAssignmentsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var assignments = api.MapGroup(ConsumerInstances.Route + "/assignments");
        assignments.MapPost("", AssignAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
        assignments.MapGet("", GetAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
    }

    private static async Task<IResult> AssignAsync(string group, string instance, HttpRequest request, IGrainFactory grains)
    {
        var (body, error) = await RestHttp.ReadAsync<TopicPartitionList>(request);
        return body is null
            ? error!
            : ConsumerInstances.Status(await ConsumerInstances.Get(grains, group, instance).AssignAsync(ConsumerInstances.Partitions(body)));
    }

    /// <summary>The assignment, less the partitions of topics the caller may not describe.</summary>
    private static async Task<IResult> GetAsync(string group, string instance, HttpContext context, IGrainFactory grains, BrokerAuthorizer authorizer)
    {
        var result = await ConsumerInstances.Get(grains, group, instance).GetAssignmentsAsync();
        var describable = (await RestAcls.DescribableAsync(context, authorizer, AclResourceType.Topic, (result.Value ?? []).Select(p => p.Topic).Distinct()))
            .ToHashSet(StringComparer.Ordinal);
        return ConsumerInstances.Answer(result, partitions =>
            RestHttp.Json(new TopicPartitionList(partitions.Where(p => describable.Contains(p.Topic)).Select(p => new TopicPartition(p.Topic, p.Partition)).ToList())));
    }
}
