using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>
/// API v3 topics: listed, created (with a replication factor or replica assignments, with configs, or only validated),
/// read, grown and deleted; a creation or growth of more partitions than one Kafka request may create is refused, as
/// the topic's limits refuse theirs.
/// </summary>
internal static class TopicsEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        cluster.MapGet("/topics", ListAsync);
        cluster.MapPost("/topics", CreateAsync);
        cluster.MapGet("/topics/{topic}", GetAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Topic, "topic");
        cluster.MapPatch("/topics/{topic}", UpdatePartitionCountAsync).RequireKafkaAcl(AclOperation.Alter, AclResourceType.Topic, "topic");
        cluster.MapDelete("/topics/{topic}", DeleteAsync).RequireKafkaAcl(AclOperation.Delete, AclResourceType.Topic, "topic");
    }

    private static async Task<IResult> ListAsync(HttpRequest request, BrokerIdentity broker, TopicCache topics, IGrainFactory grains, BrokerAuthorizer authorizer)
    {
        var v3 = new V3Resources(request, broker);
        var names = (await RestAcls.DescribableAsync(request.HttpContext, authorizer, AclResourceType.Topic, await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()))
            .Order(StringComparer.Ordinal);
        var described = await Task.WhenAll(names.Select(async n => await topics.DescribeAsync(n)));
        return V3Http.Json(V3Resources.List("KafkaTopicList", v3.Url("/topics"), described.OfType<TopicDescription>().Select(t => (JsonNode)v3.Topic(t))));
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request, BrokerIdentity broker, TopicCache topics, IGrainFactory grains, IBrokerConfigs brokerConfigs, IOptions<KafkaListenerOptions> options,
        BrokerAuthorizer authorizer)
    {
        var (body, error) = await RestHttp.ReadAsync<NewTopicRequest>(request, V3Http.ContentType);
        if (body is null)
        {
            return error!;
        }

        if (string.IsNullOrEmpty(body.TopicName))
        {
            return V3Http.Error(RestErrors.KafkaBadRequest, "topic_name is required.");
        }

        // As Kafka's CreateTopics: CREATE on the cluster, or else on the topic.
        if (authorizer.Enabled
            && !await RestAcls.AllowsAsync(request.HttpContext, authorizer, AclOperation.Create, AclResourceType.Cluster, AclBinding.ClusterName, logIfDenied: false)
            && !await RestAcls.AllowsAsync(request.HttpContext, authorizer, AclOperation.Create, AclResourceType.Topic, body.TopicName))
        {
            return RestAcls.Forbidden(request.HttpContext, AclResourceType.Topic, [body.TopicName]);
        }

        // As Confluent's proxy does, replica assignments decide the partitions and their replicas, whatever the counts say.
        var assignments = (body.ReplicasAssignments ?? []).Select(a => new ReplicaAssignment(a.Key, a.Value)).ToList();

        // The Kafka listener's bound on partitions created by one request holds for one made here.
        var partitions = assignments.Count > 0 ? assignments.Count
            : body.PartitionsCount is null or -1 ? brokerConfigs.NumPartitions : Math.Max(0, body.PartitionsCount.Value);
        if (partitions > options.Value.MaxPartitionsPerRequest)
        {
            return V3Http.Error(RestErrors.KafkaBadRequest, PartitionLimits.RequestTooLarge(partitions, options.Value.MaxPartitionsPerRequest));
        }

        var configs = (body.Configs ?? []).ToDictionary(c => c.Name, c => c.Value);
        var created = await grains.GetGrain<ITopicGrain>(body.TopicName).CreateAsync(assignments.Count > 0
            ? new CreateTopicRequest(-1, -1, configs, body.ValidateOnly, assignments)
            : new CreateTopicRequest(body.PartitionsCount ?? -1, body.ReplicationFactor ?? -1, configs, body.ValidateOnly));
        topics.Invalidate(body.TopicName);
        if (created.Error != ErrorCode.None || created.Topic is null)
        {
            return V3Http.Error(RestErrors.KafkaBadRequest, created.ErrorMessage ?? created.Error.ToString());
        }

        return V3Http.Json(new V3Resources(request, broker).Topic(created.Topic), body.ValidateOnly ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string topic, HttpRequest request, BrokerIdentity broker, TopicCache topics) =>
        await topics.DescribeAsync(topic) is { } description ? V3Http.Json(new V3Resources(request, broker).Topic(description)) : V3Http.TopicNotFound();

    private static async Task<IResult> UpdatePartitionCountAsync(
        string topic, HttpRequest request, BrokerIdentity broker, TopicCache topics, IGrainFactory grains, IOptions<KafkaListenerOptions> options)
    {
        var (body, error) = await RestHttp.ReadAsync<UpdatePartitionCountRequest>(request, V3Http.ContentType);
        if (body is null)
        {
            return error!;
        }

        if (await topics.DescribeAsync(topic) is not { } current)
        {
            return V3Http.TopicNotFound();
        }

        if ((long)body.PartitionsCount - current.PartitionCount > options.Value.MaxPartitionsPerRequest)
        {
            return V3Http.Error(RestErrors.KafkaBadRequest,
                PartitionLimits.RequestTooLarge((long)body.PartitionsCount - current.PartitionCount, options.Value.MaxPartitionsPerRequest));
        }

        var grown = await grains.GetGrain<ITopicGrain>(topic).CreatePartitionsAsync(body.PartitionsCount, validateOnly: false);
        topics.Invalidate(topic);
        return grown.Error != ErrorCode.None
            ? V3Http.Error(RestErrors.KafkaBadRequest, grown.ErrorMessage ?? grown.Error.ToString())
            : V3Http.Json(new V3Resources(request, broker).Topic((await topics.DescribeAsync(topic))!));
    }

    private static async Task<IResult> DeleteAsync(string topic, TopicCache topics, IGrainFactory grains)
    {
        var deleted = await grains.GetGrain<ITopicGrain>(topic).DeleteAsync();
        topics.Invalidate(topic);
        return deleted.Error switch
        {
            ErrorCode.None => Results.NoContent(),
            ErrorCode.UnknownTopicOrPartition => V3Http.TopicNotFound(),
            _ => V3Http.Error(RestErrors.KafkaBadRequest, deleted.ErrorMessage ?? deleted.Error.ToString()),
        };
    }
}
