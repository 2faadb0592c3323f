using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.Interfaces.RestProxy;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2: a consumer instance's offsets, committed (those given, or all it has consumed) and read back.</summary>
internal static class ConsumerOffsetsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var offsets = api.MapGroup(ConsumerInstances.Route + "/offsets");
        offsets.MapPost("", CommitAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
        offsets.MapGet("", GetCommittedAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Group, "group");
    }

    /// <summary>No body, or no offsets in it, commits what the instance has consumed.</summary>
    private static async Task<IResult> CommitAsync(string group, string instance, HttpRequest request, IGrainFactory grains, BrokerAuthorizer authorizer)
    {
        IReadOnlyList<RestPosition>? offsets = null;
        if (request.ContentLength is not 0)
        {
            var (body, error) = await RestHttp.ReadAsync<TopicPartitionOffsetList>(request);
            if (body is null && request.ContentLength is > 0)
            {
                return error!;
            }

            offsets = body?.Offsets is { Count: > 0 } ? ConsumerInstances.Positions(body) : null;
        }

        // As Kafka's OffsetCommit: READ on each topic committed (those given, or those the instance is assigned).
        var consumer = ConsumerInstances.Get(grains, group, instance);
        if (authorizer.Enabled)
        {
            var topics = offsets?.Select(o => o.Topic) ?? (await consumer.GetAssignmentsAsync()).Value?.Select(p => p.Topic) ?? [];
            if (await RestAcls.RefusedAsync(request.HttpContext, authorizer, AclOperation.Read, AclResourceType.Topic, topics) is { Count: > 0 } refused)
            {
                return RestAcls.Forbidden(request.HttpContext, AclResourceType.Topic, [.. refused]);
            }
        }

        return ConsumerInstances.Answer(await consumer.CommitAsync(offsets), committed =>
            RestHttp.Json(committed.Select(c => new OffsetCommitResult(c.Topic, c.Partition, c.Consumed, c.Committed)).ToList()));
    }

    private static async Task<IResult> GetCommittedAsync(string group, string instance, HttpRequest request, IGrainFactory grains, BrokerAuthorizer authorizer)
    {
        var (body, error) = await RestHttp.ReadAsync<TopicPartitionList>(request);
        if (body is null)
        {
            return error!;
        }

        // As Kafka's OffsetFetch: DESCRIBE on each topic asked about.
        if (await RestAcls.RefusedAsync(request.HttpContext, authorizer, AclOperation.Describe, AclResourceType.Topic, ConsumerInstances.Partitions(body).Select(p => p.Topic))
            is { Count: > 0 } refused)
        {
            return RestAcls.Forbidden(request.HttpContext, AclResourceType.Topic, [.. refused]);
        }

        return ConsumerInstances.Answer(await ConsumerInstances.Get(grains, group, instance).GetCommittedAsync(ConsumerInstances.Partitions(body)), offsets =>
            RestHttp.Json(new ConsumerCommittedResponse(offsets.Select(o => new TopicPartitionOffsetMetadata(o.Topic, o.Partition, o.Offset, "")).ToList())));
    }
}
