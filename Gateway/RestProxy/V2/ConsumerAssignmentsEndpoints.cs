using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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

    private static async Task<IResult> GetAsync(string group, string instance, IGrainFactory grains) =>
        ConsumerInstances.Answer(await ConsumerInstances.Get(grains, group, instance).GetAssignmentsAsync(), partitions =>
            RestHttp.Json(new TopicPartitionList(partitions.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList())));
}
