using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;

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
/// looks for it does not find it created again). Asked for them (v8+), the cluster's (v8-10) and each topic's
/// authorized operations are every operation of the resource: there is no authorizer. The response is written from the
/// topics' descriptions as it goes out (<see cref="StreamedMetadataResponse"/>), never built as objects per partition.
/// </summary>
public sealed class MetadataHandler(
    IGrainFactory grains,
    TopicCache topics,
    BrokerIdentity broker,
    ClusterBrokers brokers,
    IBrokerConfigs brokerConfigs,
    ControllerMutationQuota quota) : KafkaApiHandler<MetadataRequest, StreamedMetadataResponse>
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
            ClusterAuthorizedOperations = AuthorizedOperations.When(
                request.ApiVersion is >= 8 and <= 10 && body.IncludeClusterAuthorizedOperations, AuthorizedOperations.Cluster),
            LiveBrokers = live.Select(b => b.BrokerId).ToHashSet(),
        };
        var topicOperations = AuthorizedOperations.When(request.ApiVersion >= 8 && body.IncludeTopicAuthorizedOperations, AuthorizedOperations.Topic);
        foreach (var name in names)
        {
            if (await DescribeAsync(name, autoCreate, request.ClientId, topicOperations) is { } topic)
            {
                response.Topics.Add(topic);
            }
            else if (!all)
            {
                response.Topics.Add(Answer(name, ErrorCode.UnknownTopicOrPartition, topicOperations));
            }

            // Listed but gone (deleted since it was listed): left out of the answer for all topics.
        }

        return response;
    }

    private async Task<StreamedMetadataResponse.Topic?> DescribeAsync(string name, bool autoCreate, string? clientId, int operations)
    {
        if (TopicNames.Validate(name) is not null)
        {
            return Answer(name, ErrorCode.InvalidTopicException, operations);
        }

        var topic = await topics.DescribeAsync(name);
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
                    quota.TryAcquire(clientId, created.Topic!.PartitionCount, strict: false);
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

    private static StreamedMetadataResponse.Topic Answer(string name, ErrorCode error, int operations) =>
        new(null, new MetadataResponse.MetadataResponseTopic { Name = name, ErrorCode = (short)error, TopicAuthorizedOperations = operations }, IsInternal(name), operations);
}
