using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.Interfaces.RestProxy;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>
/// API v2 consumer instances, created and deleted: each is a grain, a member of its Kafka group beside native
/// consumers, whose records come back in the instance's embedded format.
/// </summary>
internal static class ConsumersEndpoints
{
    private static readonly string[] Formats = ["binary", "json", "avro", "jsonschema", "protobuf"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/consumers/{group}", CreateAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
        api.MapDelete(ConsumerInstances.Route, DeleteAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
    }

    private static async Task<IResult> CreateAsync(string group, HttpRequest request, IGrainFactory grains)
    {
        var (body, error) = await RestHttp.ReadAsync<CreateConsumerInstanceRequest>(request);
        if (body is null)
        {
            return error!;
        }

        var format = (body.Format ?? "binary").ToLowerInvariant();
        var reset = (body.AutoOffsetReset ?? "latest").ToLowerInvariant();
        if (!Formats.Contains(format) || reset is not ("earliest" or "latest" or "none")
            || body.AutoCommitEnable is { } commit && !bool.TryParse(commit, out _))
        {
            return RestHttp.Error(RestErrors.InvalidConsumerConfig,
                $"Invalid consumer configuration: format must be binary, json, avro, jsonschema or protobuf, auto.offset.reset earliest, latest or none");
        }

        var name = body.Name ?? body.Id ?? $"rest-consumer-{Guid.NewGuid():N}";
        var timeout = int.TryParse(body.RequestTimeoutMs, out var ms) && ms > 0 ? ms : 1000;
        var config = new RestConsumerConfig(format, reset, body.AutoCommitEnable is null || bool.Parse(body.AutoCommitEnable), timeout);
        var created = await ConsumerInstances.Get(grains, group, name).CreateAsync(config);
        return created == RestConsumerErrors.InstanceExists
            ? RestHttp.Error(RestErrors.ConsumerAlreadyExists, $"Consumer with specified consumer ID already exists in the specified consumer group.")
            : RestHttp.Json(new CreateConsumerInstanceResponse(name, $"{request.Scheme}://{request.Host}/consumers/{group}/instances/{name}"));
    }

    private static async Task<IResult> DeleteAsync(string group, string instance, IGrainFactory grains) =>
        ConsumerInstances.Status(await ConsumerInstances.Get(grains, group, instance).DeleteAsync());
}
