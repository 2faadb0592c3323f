using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// Metadata (3): the live brokers, and for each topic asked for (all when none is named) its id and partitions with
/// their leaders. A partition whose broker is not a live member has no leader (LEADER_NOT_AVAILABLE, leader -1), which
/// clients retry. A topic that does not exist is created when both the client (v4+) and the broker
/// (<c>auto.create.topics.enable</c>, a dynamic config read from this silo's copy) allow it; <c>__consumer_offsets</c> is
/// then created as Kafka creates it, the internal topic (<c>offsets.topic.num.partitions</c>, compacted), and
/// <c>__transaction_state</c>, which nothing here writes yet, is not created. A created topic's partitions count against the
/// client's controller mutation quota (never refused, as Kafka's permissive quota), and a creation the limits refuse answers with their error
/// (POLICY_VIOLATION, INVALID_PARTITIONS). A topic being deleted is not described nor listed, and is
/// UNKNOWN_TOPIC_OR_PARTITION until its deletion completes, with auto-creation too (a client that deletes a topic and
/// looks for it does not find it created again). Asked for them (v8+), the cluster's (v8-10, only to a principal that may
/// DESCRIBE the cluster, else 0) and each topic's authorized operations are answered. The response is written from the
/// topics' descriptions as it goes out (<see cref="StreamedMetadataResponse"/>), never built as objects per partition.
/// <para>It needs DESCRIBE on each topic: one named without it is TOPIC_AUTHORIZATION_FAILED (whether it exists or not), and
/// left out silently when all are listed; auto-creation needs CREATE on the cluster or on the topic, else the topic is
/// TOPIC_AUTHORIZATION_FAILED, not created.</para>
/// </summary>
public sealed class MetadataHandler(
    IGrainFactory grains,
    TopicCache topics,
    BrokerIdentity broker,
    ClusterBrokers brokers,
    IBrokerConfigs brokerConfigs,
    ControllerMutationQuota quota,
    BrokerAuthorizer authorizer) : KafkaApiHandler<MetadataRequest, StreamedMetadataResponse>
{
    public override ApiKey ApiKey => ApiKey.Metadata;

    public override short MinVersion => 0;

    public override short MaxVersion => 12;

    protected override async Task<StreamedMetadataResponse?> HandleAsync(MetadataRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var all = body.Topics is null || (request.ApiVersion == 0 && body.Topics.Count == 0);
        var names = all
            ? await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()
            : body.Topics!.Select(t => t.Name ?? "").Distinct(StringComparer.Ordinal).ToList();
        var autoCreate = !all && (request.ApiVersion < 4 || body.AllowAutoTopicCreation) && brokerConfigs.AutoCreateTopicsEnable;

        var live = await brokers.LiveAsync(request.Listener);
        var response = new StreamedMetadataResponse
        {
            Brokers = live.Select(b => new MetadataResponse.MetadataResponseBroker { NodeId = b.BrokerId, Host = b.Host, Port = b.Port, Rack = b.Rack }).ToList(),
            ClusterId = broker.ClusterId,
            ControllerId = brokers.ControllerId(),
            ClusterAuthorizedOperations = request.ApiVersion is >= 8 and <= 10 && body.IncludeClusterAuthorizedOperations
                ? ClusterOperations(request)
                : AuthorizedOperations.NotRequested,
            LiveBrokers = live.Select(b => b.BrokerId).ToHashSet(),
        };
        var withOperations = request.ApiVersion >= 8 && body.IncludeTopicAuthorizedOperations;

        // CREATE on the cluster is asked once, and only when a topic is to be created; its denial is not logged, as
        // Kafka's, since CREATE on the topic may still allow it.
        bool? createOnCluster = null;
        bool MayCreate(string name) =>
            (createOnCluster ??= authorizer.Authorize(request, AclOperation.Create, AclResourceType.Cluster, AclBinding.ClusterName, logIfDenied: false))
            || authorizer.Authorize(request, AclOperation.Create, AclResourceType.Topic, name);

        foreach (var name in names)
        {
            // Checked before the topic is looked up, so that its existence is not told. Listing all topics, a denial
            // is only a topic left out: not logged, as Kafka's.
            if (!(all
                    ? authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Topic, name, logIfDenied: false)
                    : authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Topic, name)))
            {
                if (!all)
                {
                    response.Topics.Add(Answer(name, ErrorCode.TopicAuthorizationFailed, AuthorizedOperations.NotRequested));
                }

                continue;
            }

            var operations = withOperations
                ? authorizer.AuthorizedOperations(request, AclResourceType.Topic, name, AuthorizedOperations.Topic)
                : AuthorizedOperations.NotRequested;
            if (await DescribeAsync(name, autoCreate, MayCreate, request, operations) is { } topic)
            {
                response.Topics.Add(topic);
            }
            else if (!all)
            {
                response.Topics.Add(Answer(name, ErrorCode.UnknownTopicOrPartition, operations));
            }

            // Listed but gone (deleted since it was listed): left out of the answer for all topics.
        }

        return response;
    }

    /// <summary>
    /// The topic, created first when it does not exist and may be (<paramref name="mayCreate"/> checked only then, as
    /// Kafka checks it only for a topic that does not exist: an illegal name too, before it is found illegal).
    /// </summary>
    private async Task<StreamedMetadataResponse.Topic?> DescribeAsync(string name, bool autoCreate, Func<string, bool> mayCreate, KafkaRequest request, int operations)
    {
        if (TopicNames.Validate(name) is not null)
        {
            return autoCreate && !mayCreate(name) ? Refused(name) : Answer(name, ErrorCode.InvalidTopicException, operations);
        }

        var topic = await topics.DescribeAsync(name);
        if (topic is null && autoCreate && !mayCreate(name))
        {
            return Refused(name);
        }

        if (topic is null && autoCreate && name != InternalTopics.TransactionState)
        {
            // With this broker's num.partitions, as Kafka's auto-creation asks for the receiving broker's; the offsets
            // topic as the group coordinator creates it.
            var grain = grains.GetGrain<ITopicGrain>(name);
            var created = await grain.CreateAsync(name == InternalTopics.ConsumerOffsets
                ? new CreateTopicRequest(brokerConfigs.OffsetsTopicNumPartitions, -1, InternalTopics.ConsumerOffsetsConfigs)
                : new CreateTopicRequest(brokerConfigs.NumPartitions, -1, new Dictionary<string, string?>()));
            switch (created.Error)
            {
                case ErrorCode.None:
                    quota.TryAcquire(request, created.Topic!.PartitionCount, strict: false);
                    topic = created.Topic;
                    break;
                case ErrorCode.TopicAlreadyExists:
                    // Created by someone else meanwhile, or marked for deletion (then not described, and not
                    // created again until its deletion completes).
                    topic = await grain.DescribeAsync();
                    if (topic is null)
                    {
                        return Answer(name, ErrorCode.UnknownTopicOrPartition, operations);
                    }

                    break;
                case ErrorCode.PolicyViolation or ErrorCode.InvalidPartitions:
                    return Answer(name, created.Error, operations);
            }

            if (topic is not null)
            {
                topics.Set(topic);
            }
        }

        return topic is null ? null : new StreamedMetadataResponse.Topic(topic, null, IsInternal(name), operations);
    }

    private static bool IsInternal(string name) => InternalTopics.IsInternal(name);

    /// <summary>A topic that does not exist and may not be created: TOPIC_AUTHORIZATION_FAILED, without its operations (as Kafka's).</summary>
    private static StreamedMetadataResponse.Topic Refused(string name) =>
        Answer(name, ErrorCode.TopicAuthorizationFailed, AuthorizedOperations.NotRequested);

    /// <summary>As Kafka: the cluster's operations only for a principal that may describe it, else none.</summary>
    private int ClusterOperations(KafkaRequest request) =>
        authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Cluster, AclBinding.ClusterName)
            ? authorizer.AuthorizedOperations(request, AclResourceType.Cluster, AclBinding.ClusterName, AuthorizedOperations.Cluster)
            : 0;

    /// <summary>A topic answered with an error alone: no id (the zero uuid), no partitions.</summary>
    private static StreamedMetadataResponse.Topic Answer(string name, ErrorCode error, int operations) =>
        new(null, new MetadataResponse.MetadataResponseTopic { Name = name, ErrorCode = (short)error, TopicAuthorizedOperations = operations }, IsInternal(name), operations);
}
