using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>API v3 topic configs: every config with its source and synonyms, one config, set, reset, and altered in a batch.</summary>
internal static class TopicConfigsEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        cluster.MapGet("/topics/{topic}/configs", ListAsync).RequireKafkaAcl(AclOperation.DescribeConfigs, AclResourceType.Topic, "topic");
        cluster.MapGet("/topics/{topic}/configs/{name}", GetAsync).RequireKafkaAcl(AclOperation.DescribeConfigs, AclResourceType.Topic, "topic");
        cluster.MapPut("/topics/{topic}/configs/{name}", UpdateAsync).RequireKafkaAcl(AclOperation.AlterConfigs, AclResourceType.Topic, "topic");
        cluster.MapDelete("/topics/{topic}/configs/{name}", ResetAsync).RequireKafkaAcl(AclOperation.AlterConfigs, AclResourceType.Topic, "topic");
        cluster.MapPost("/topics/{topic}/configs:alter", AlterAsync).RequireKafkaAcl(AclOperation.AlterConfigs, AclResourceType.Topic, "topic");
    }

    private static async Task<IResult> ListAsync(string topic, HttpRequest request, BrokerIdentity broker, IGrainFactory grains)
    {
        var described = await grains.GetGrain<ITopicGrain>(topic).DescribeConfigsAsync(null, includeSynonyms: true, includeDocumentation: false);
        if (described.Error != ErrorCode.None)
        {
            return V3Http.TopicNotFound();
        }

        var v3 = new V3Resources(request, broker);
        return V3Http.Json(V3Resources.List("KafkaTopicConfigList", v3.Url($"/topics/{topic}/configs"), described.Entries.Select(e => (JsonNode)v3.TopicConfig(topic, e))));
    }

    private static async Task<IResult> GetAsync(string topic, string name, HttpRequest request, BrokerIdentity broker, IGrainFactory grains)
    {
        var described = await grains.GetGrain<ITopicGrain>(topic).DescribeConfigsAsync([name], includeSynonyms: true, includeDocumentation: false);
        if (described.Error != ErrorCode.None)
        {
            return V3Http.TopicNotFound();
        }

        return described.Entries.FirstOrDefault(e => e.Name == name) is { } entry
            ? V3Http.Json(new V3Resources(request, broker).TopicConfig(topic, entry))
            : V3Http.Error(StatusCodes.Status404NotFound, $"Config {name} not found.");
    }

    private static async Task<IResult> UpdateAsync(string topic, string name, HttpRequest request, IGrainFactory grains)
    {
        var (body, error) = await RestHttp.ReadAsync<UpdateTopicConfigRequest>(request, V3Http.ContentType);
        return body is null ? error! : await ApplyAsync(grains, topic, [new ConfigChange(name, ConfigOperation.Set, body.Value)]);
    }

    private static Task<IResult> ResetAsync(string topic, string name, IGrainFactory grains) =>
        ApplyAsync(grains, topic, [new ConfigChange(name, ConfigOperation.Delete, null)]);

    private static async Task<IResult> AlterAsync(string topic, HttpRequest request, IGrainFactory grains)
    {
        var (body, error) = await RestHttp.ReadAsync<AlterTopicConfigsRequest>(request, V3Http.ContentType);
        if (body is null)
        {
            return error!;
        }

        var changes = (body.Data ?? []).Select(c => new ConfigChange(
            c.Name, string.Equals(c.Operation, "DELETE", StringComparison.OrdinalIgnoreCase) ? ConfigOperation.Delete : ConfigOperation.Set, c.Value)).ToList();
        return await ApplyAsync(grains, topic, changes, body.ValidateOnly);
    }

    private static async Task<IResult> ApplyAsync(IGrainFactory grains, string topic, IReadOnlyList<ConfigChange> changes, bool validateOnly = false)
    {
        var altered = await grains.GetGrain<ITopicGrain>(topic).IncrementalAlterConfigsAsync(changes, validateOnly);
        return altered.Error switch
        {
            ErrorCode.None => Results.NoContent(),
            ErrorCode.UnknownTopicOrPartition => V3Http.TopicNotFound(),
            _ => V3Http.Error(RestErrors.KafkaBadRequest, altered.ErrorMessage ?? altered.Error.ToString()),
        };
    }
}
