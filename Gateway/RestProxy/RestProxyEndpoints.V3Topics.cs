using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.RestProxy;

/// <summary>API v3: the cluster, its brokers, topics (list, create, get, delete, grow), their configs and partitions.</summary>
public static partial class RestProxyEndpoints
{
    private const string V3 = "application/json";

    private static void MapV3Topics(RouteGroupBuilder api, RouteGroupBuilder cluster)
    {
        api.MapGet("/v3/clusters", (HttpRequest request, BrokerIdentity broker) =>
        {
            var v3 = new V3Resources(request, broker);
            return V3Json(V3Resources.List("KafkaClusterList", $"{request.Scheme}://{request.Host}/v3/clusters", [v3.Cluster()]));
        });

        cluster.MapGet("", (HttpRequest request, BrokerIdentity broker) => V3Json(new V3Resources(request, broker).Cluster()));
        cluster.MapGet("/brokers", async (HttpRequest request, BrokerIdentity broker, ClusterBrokers brokers) =>
        {
            var v3 = new V3Resources(request, broker);
            return V3Json(V3Resources.List("KafkaBrokerList", v3.Url("/brokers"), [.. (await brokers.LiveAsync()).Select(v3.Broker)]));
        });
        cluster.MapGet("/brokers/{brokerId:int}", async (int brokerId, HttpRequest request, BrokerIdentity broker, ClusterBrokers brokers) =>
            (await brokers.LiveAsync()).FirstOrDefault(b => b.BrokerId == brokerId) is { } endpoint
                ? V3Json(new V3Resources(request, broker).Broker(endpoint))
                : V3Error(StatusCodes.Status404NotFound, $"Broker {brokerId} not found."));

        cluster.MapGet("/topics", async (HttpRequest request, BrokerIdentity broker, TopicCache topics, IGrainFactory grains) =>
        {
            var v3 = new V3Resources(request, broker);
            var names = (await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()).Order(StringComparer.Ordinal);
            var described = await Task.WhenAll(names.Select(async n => await topics.DescribeAsync(n)));
            return V3Json(V3Resources.List("KafkaTopicList", v3.Url("/topics"), described.OfType<TopicDescription>().Select(t => (JsonNode)v3.Topic(t))));
        });

        cluster.MapPost("/topics", async (HttpRequest request, BrokerIdentity broker, TopicCache topics, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V3CreateTopicRequest>(request, V3);
            if (body is null)
            {
                return error!;
            }

            if (string.IsNullOrEmpty(body.TopicName))
            {
                return V3Error(RestErrors.KafkaBadRequest, "topic_name is required.");
            }

            var configs = (body.Configs ?? []).ToDictionary(c => c.Name, c => c.Value);
            var created = await grains.GetGrain<ITopicGrain>(body.TopicName).CreateAsync(
                new CreateTopicRequest(body.PartitionsCount ?? -1, body.ReplicationFactor ?? -1, configs, body.ValidateOnly));
            topics.Invalidate(body.TopicName);
            if (created.Error != ErrorCode.None || created.Topic is null)
            {
                return V3Error(RestErrors.KafkaBadRequest, created.ErrorMessage ?? created.Error.ToString());
            }

            return V3Json(new V3Resources(request, broker).Topic(created.Topic), body.ValidateOnly ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        });

        cluster.MapGet("/topics/{topic}", async (string topic, HttpRequest request, BrokerIdentity broker, TopicCache topics) =>
            await topics.DescribeAsync(topic) is { } description ? V3Json(new V3Resources(request, broker).Topic(description)) : V3TopicNotFound());

        cluster.MapPatch("/topics/{topic}", async (string topic, HttpRequest request, BrokerIdentity broker, TopicCache topics, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V3UpdateTopicRequest>(request, V3);
            if (body is null)
            {
                return error!;
            }

            if (await topics.DescribeAsync(topic) is null)
            {
                return V3TopicNotFound();
            }

            var grown = await grains.GetGrain<ITopicGrain>(topic).CreatePartitionsAsync(body.PartitionsCount, validateOnly: false);
            topics.Invalidate(topic);
            return grown.Error != ErrorCode.None
                ? V3Error(RestErrors.KafkaBadRequest, grown.ErrorMessage ?? grown.Error.ToString())
                : V3Json(new V3Resources(request, broker).Topic((await topics.DescribeAsync(topic))!));
        });

        cluster.MapDelete("/topics/{topic}", async (string topic, TopicCache topics, IGrainFactory grains) =>
        {
            var deleted = await grains.GetGrain<ITopicGrain>(topic).DeleteAsync();
            topics.Invalidate(topic);
            return deleted.Error switch
            {
                ErrorCode.None => Results.NoContent(),
                ErrorCode.UnknownTopicOrPartition => V3TopicNotFound(),
                _ => V3Error(RestErrors.KafkaBadRequest, deleted.ErrorMessage ?? deleted.Error.ToString()),
            };
        });

        cluster.MapGet("/topics/{topic}/partitions", async (string topic, HttpRequest request, BrokerIdentity broker, TopicCache topics) =>
        {
            if (await topics.DescribeAsync(topic) is not { } description)
            {
                return V3TopicNotFound();
            }

            var v3 = new V3Resources(request, broker);
            return V3Json(V3Resources.List("KafkaPartitionList", v3.Url($"/topics/{topic}/partitions"),
                Enumerable.Range(0, description.PartitionCount).Select(p => (JsonNode)v3.Partition(description, p))));
        });

        cluster.MapGet("/topics/{topic}/partitions/{partition:int}", async (string topic, int partition, HttpRequest request, BrokerIdentity broker, TopicCache topics) =>
            await topics.DescribeAsync(topic) is not { } description ? V3TopicNotFound()
            : partition < 0 || partition >= description.PartitionCount ? V3Error(StatusCodes.Status404NotFound, "This server does not host this topic-partition.")
            : V3Json(new V3Resources(request, broker).Partition(description, partition)));

        MapV3TopicConfigs(cluster);
    }

    private static void MapV3TopicConfigs(RouteGroupBuilder cluster)
    {
        cluster.MapGet("/topics/{topic}/configs", async (string topic, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        {
            var described = await grains.GetGrain<ITopicGrain>(topic).DescribeConfigsAsync(null, includeSynonyms: true, includeDocumentation: false);
            if (described.Error != ErrorCode.None)
            {
                return V3TopicNotFound();
            }

            var v3 = new V3Resources(request, broker);
            return V3Json(V3Resources.List("KafkaTopicConfigList", v3.Url($"/topics/{topic}/configs"), described.Entries.Select(e => (JsonNode)v3.TopicConfig(topic, e))));
        });

        cluster.MapGet("/topics/{topic}/configs/{name}", async (string topic, string name, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        {
            var described = await grains.GetGrain<ITopicGrain>(topic).DescribeConfigsAsync([name], includeSynonyms: true, includeDocumentation: false);
            if (described.Error != ErrorCode.None)
            {
                return V3TopicNotFound();
            }

            return described.Entries.FirstOrDefault(e => e.Name == name) is { } entry
                ? V3Json(new V3Resources(request, broker).TopicConfig(topic, entry))
                : V3Error(StatusCodes.Status404NotFound, $"Config {name} not found.");
        });

        cluster.MapPut("/topics/{topic}/configs/{name}", async (string topic, string name, HttpRequest request, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V3ConfigValue>(request, V3);
            return body is null ? error! : await AlterConfigsAsync(grains, topic, [new ConfigChange(name, ConfigOperation.Set, body.Value)]);
        });

        cluster.MapDelete("/topics/{topic}/configs/{name}", (string topic, string name, IGrainFactory grains) =>
            AlterConfigsAsync(grains, topic, [new ConfigChange(name, ConfigOperation.Delete, null)]));

        cluster.MapPost("/topics/{topic}/configs:alter", async (string topic, HttpRequest request, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V3AlterConfigsRequest>(request, V3);
            if (body is null)
            {
                return error!;
            }

            var changes = (body.Data ?? []).Select(c => new ConfigChange(c.Name, string.Equals(c.Operation, "DELETE", StringComparison.OrdinalIgnoreCase) ? ConfigOperation.Delete : ConfigOperation.Set, c.Value)).ToList();
            return await AlterConfigsAsync(grains, topic, changes, body.ValidateOnly);
        });
    }

    private static async Task<IResult> AlterConfigsAsync(IGrainFactory grains, string topic, IReadOnlyList<ConfigChange> changes, bool validateOnly = false)
    {
        var altered = await grains.GetGrain<ITopicGrain>(topic).IncrementalAlterConfigsAsync(changes, validateOnly);
        return altered.Error switch
        {
            ErrorCode.None => Results.NoContent(),
            ErrorCode.UnknownTopicOrPartition => V3TopicNotFound(),
            _ => V3Error(RestErrors.KafkaBadRequest, altered.ErrorMessage ?? altered.Error.ToString()),
        };
    }

    /// <summary>Everything under <c>/v3/clusters/{clusterId}</c>: a cluster id other than this cluster's is 404.</summary>
    private static RouteGroupBuilder V3Cluster(RouteGroupBuilder api)
    {
        var cluster = api.MapGroup("/v3/clusters/{clusterId}");
        cluster.AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetRouteValue("clusterId") as string == context.HttpContext.RequestServices.GetRequiredService<BrokerIdentity>().ClusterId
                ? await next(context)
                : V3Error(StatusCodes.Status404NotFound, "Cluster not found."));
        return cluster;
    }

    private static IResult V3Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(RestHttp.Options), V3, System.Text.Encoding.UTF8, status);

    private static IResult V3Error(int code, string message) => RestHttp.Error(code, message, V3);

    private static IResult V3TopicNotFound() => V3Error(StatusCodes.Status404NotFound, "This server does not host this topic-partition.");
}

internal sealed record V3ConfigEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("operation")] string? Operation = null);

internal sealed record V3CreateTopicRequest(
    [property: JsonPropertyName("topic_name")] string? TopicName,
    [property: JsonPropertyName("partitions_count")] int? PartitionsCount,
    [property: JsonPropertyName("replication_factor")] short? ReplicationFactor,
    [property: JsonPropertyName("configs")] List<V3ConfigEntry>? Configs,
    [property: JsonPropertyName("validate_only")] bool ValidateOnly);

internal sealed record V3UpdateTopicRequest([property: JsonPropertyName("partitions_count")] int PartitionsCount);

internal sealed record V3ConfigValue([property: JsonPropertyName("value")] string? Value);

internal sealed record V3AlterConfigsRequest(
    [property: JsonPropertyName("data")] List<V3ConfigEntry>? Data,
    [property: JsonPropertyName("validate_only")] bool ValidateOnly);
