using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2: where a consumer instance reads next in its partitions (seek to an offset, the beginning, the end).</summary>
internal static class ConsumerPositionsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var positions = api.MapGroup(ConsumerInstances.Route + "/positions");
        positions.MapPost("", SeekAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
        positions.MapPost("/beginning", SeekToBeginningAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
        positions.MapPost("/end", SeekToEndAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
    }

    private static async Task<IResult> SeekAsync(string group, string instance, HttpRequest request, IGrainFactory grains)
    {
        var (body, error) = await RestHttp.ReadAsync<TopicPartitionOffsetList>(request);
        return body is null
            ? error!
            : ConsumerInstances.Status(await ConsumerInstances.Get(grains, group, instance).SeekAsync(ConsumerInstances.Positions(body)));
    }

    private static Task<IResult> SeekToBeginningAsync(string group, string instance, HttpRequest request, IGrainFactory grains) =>
        SeekToAsync(grains, group, instance, request, beginning: true);

    private static Task<IResult> SeekToEndAsync(string group, string instance, HttpRequest request, IGrainFactory grains) =>
        SeekToAsync(grains, group, instance, request, beginning: false);

    private static async Task<IResult> SeekToAsync(IGrainFactory grains, string group, string instance, HttpRequest request, bool beginning)
    {
        var (body, error) = await RestHttp.ReadAsync<TopicPartitionList>(request);
        return body is null
            ? error!
            : ConsumerInstances.Status(await ConsumerInstances.Get(grains, group, instance).SeekToAsync(ConsumerInstances.Partitions(body), beginning));
    }
}
