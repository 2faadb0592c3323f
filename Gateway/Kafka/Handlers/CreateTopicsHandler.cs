using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// CreateTopics (19): each topic is created by its topic grain, which validates name, partition count, replication
/// factor, configs and a manual replica assignment (each partition on registered brokers, one of them live at least)
/// with Kafka's rules and the limits of partitions per topic, per broker and per cluster and of topics, and places the
/// replicas; <c>validateOnly</c> checks without creating. From v5 the response carries the resulting configs. A request that would create more than
/// <see cref="KafkaListenerOptions.MaxPartitionsPerRequest"/> partitions is refused whole (POLICY_VIOLATION, Kafka's
/// message), and each topic's partitions count against the client's controller mutation quota (strict from v6). Each
/// topic needs CREATE on the cluster or on the topic (TOPIC_AUTHORIZATION_FAILED), and its configs DESCRIBE_CONFIGS on
/// the topic (else TopicConfigErrorCode TOPIC_AUTHORIZATION_FAILED, without them).
/// </summary>
public sealed class CreateTopicsHandler(
    IGrainFactory grains,
    TopicCache topics,
    IBrokerConfigs brokerConfigs,
    ControllerMutationQuota quota,
    IOptions<KafkaListenerOptions> options,
    BrokerAuthorizer authorizer) : KafkaApiHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    public override ApiKey ApiKey => ApiKey.CreateTopics;

    public override short MinVersion => 0;

    public override short MaxVersion => 7;

    protected override async Task<CreateTopicsResponse?> HandleAsync(CreateTopicsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        // As in Kafka, a topic named twice is refused whatever the client may do, and the others are authorized before
        // anything is looked at: CREATE on the cluster allows them all (checked quietly, as Kafka checks it).
        var duplicates = body.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var mayCreateAll = authorizer.Authorize(request, AclOperation.Create, AclResourceType.Cluster, AclBinding.ClusterName, logIfDenied: false);
        var unauthorized = body.Topics.Select(t => t.Name).Where(name => !duplicates.Contains(name)).Distinct(StringComparer.Ordinal)
            .Where(name => !mayCreateAll && !authorizer.Authorize(request, AclOperation.Create, AclResourceType.Topic, name))
            .ToHashSet(StringComparer.Ordinal);

        var limit = options.Value.MaxPartitionsPerRequest;
        var requested = body.Topics.Where(t => !unauthorized.Contains(t.Name)).Sum(t => (long)PartitionsOf(t));
        if (requested > limit)
        {
            var refusal = PartitionLimits.RequestTooLarge(requested, limit);
            return new CreateTopicsResponse
            {
                Topics = body.Topics.Select(t => unauthorized.Contains(t.Name) ? Unauthorized(t.Name) : Failed(t.Name, ErrorCode.PolicyViolation, refusal)).ToList(),
            };
        }

        var strict = ControllerMutationQuota.IsStrict(request.ApiKey, request.ApiVersion);
        var results = await Task.WhenAll(body.Topics.Select(topic =>
            duplicates.Contains(topic.Name) ? Task.FromResult(Failed(topic.Name, ErrorCode.InvalidRequest, $"Create topic request contains the topic '{topic.Name}' more than once."))
            : unauthorized.Contains(topic.Name) ? Task.FromResult(Unauthorized(topic.Name))
            : CreateAsync(topic, body.validateOnly, request, strict)));
        var throttle = quota.ThrottleTimeMs(request);
        return new CreateTopicsResponse { ThrottleTimeMs = throttle, Topics = results.ToList() };
    }

    /// <summary>The partitions a topic of the request asks for (the broker's default for -1, the assignment's when given).</summary>
    private int PartitionsOf(CreateTopicsRequest.CreatableTopic topic) =>
        topic.Assignments.Count > 0 ? topic.Assignments.Count : topic.NumPartitions == -1 ? brokerConfigs.NumPartitions : Math.Max(0, topic.NumPartitions);

    private async Task<CreateTopicsResponse.CreatableTopicResult> CreateAsync(
        CreateTopicsRequest.CreatableTopic topic, bool validateOnly, KafkaRequest request, bool strict)
    {
        if (TopicNames.Validate(topic.Name) is { } invalid)
        {
            return Failed(topic.Name, ErrorCode.InvalidTopicException, invalid);
        }

        var partitions = PartitionsOf(topic);
        if (!quota.TryAcquire(request, partitions, strict))
        {
            return Failed(topic.Name, ErrorCode.ThrottlingQuotaExceeded, PartitionLimits.QuotaExceeded);
        }

        var configs = topic.Configs.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
        var grain = grains.GetGrain<ITopicGrain>(topic.Name);
        var assignments = topic.Assignments.Select(a => new ReplicaAssignment(a.PartitionIndex, a.BrokerIds)).ToList();
        CreateTopicResult created;
        try
        {
            created = await grain.CreateAsync(new CreateTopicRequest(topic.NumPartitions, topic.ReplicationFactor, configs, validateOnly, assignments));
        }
        catch
        {
            quota.Refund(request, partitions);
            throw;
        }

        if (created.Error != ErrorCode.None || created.Topic is not { } description)
        {
            quota.Refund(request, partitions);
            return Failed(topic.Name, created.Error, created.ErrorMessage);
        }

        if (!validateOnly)
        {
            topics.Set(description);
        }

        var result = new CreateTopicsResponse.CreatableTopicResult
        {
            Name = topic.Name,
            TopicId = validateOnly ? Guid.Empty : description.TopicId,
            ErrorMessage = null,
            NumPartitions = description.PartitionCount,
            ReplicationFactor = (short)description.ReplicationFactor,
        };
        if (request.ApiVersion >= 5)
        {
            if (authorizer.Authorize(request, AclOperation.DescribeConfigs, AclResourceType.Topic, topic.Name, logIfDenied: false))
            {
                result.Configs = DescribeCreated(description.Configs);
            }
            else
            {
                // Created, but as in Kafka neither its configs nor its partitions and replication factor are shown.
                result.TopicConfigErrorCode = (short)ErrorCode.TopicAuthorizationFailed;
                result.Configs = [];
                result.NumPartitions = -1;
                result.ReplicationFactor = -1;
            }
        }

        return result;
    }

    private static List<CreateTopicsResponse.CreatableTopicConfigs> DescribeCreated(IReadOnlyDictionary<string, string> configs) =>
        configs.Select(c => new CreateTopicsResponse.CreatableTopicConfigs
        {
            Name = c.Key,
            Value = c.Value,
            ConfigSource = (sbyte)ConfigSource.TopicConfig,
        }).ToList();

    private static CreateTopicsResponse.CreatableTopicResult Unauthorized(string name) =>
        Failed(name, ErrorCode.TopicAuthorizationFailed, "Authorization failed.");

    private static CreateTopicsResponse.CreatableTopicResult Failed(string name, ErrorCode error, string? message) => new()
    {
        Name = name,
        ErrorCode = (short)error,
        ErrorMessage = message,
        Configs = null,
    };
}
