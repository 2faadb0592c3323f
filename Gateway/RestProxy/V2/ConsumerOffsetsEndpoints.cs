using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
    private static async Task<IResult> CommitAsync(string group, string instance, HttpRequest request, IGrainFactory grains)
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

        return ConsumerInstances.Answer(await ConsumerInstances.Get(grains, group, instance).CommitAsync(offsets), committed =>
            RestHttp.Json(committed.Select(c => new OffsetCommitResult(c.Topic, c.Partition, c.Consumed, c.Committed)).ToList()));
    }

    private static async Task<IResult> GetCommittedAsync(string group, string instance, HttpRequest request, IGrainFactory grains)
    {
        var (body, error) = await RestHttp.ReadAsync<TopicPartitionList>(request);
        return body is null
            ? error!
            : ConsumerInstances.Answer(await ConsumerInstances.Get(grains, group, instance).GetCommittedAsync(ConsumerInstances.Partitions(body)), offsets =>
                RestHttp.Json(new ConsumerCommittedResponse(offsets.Select(o => new TopicPartitionOffsetMetadata(o.Topic, o.Partition, o.Offset, "")).ToList())));
    }
}
