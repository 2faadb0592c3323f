using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Brokers;
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
/// <c>__transaction_state</c>, which nothing here writes yet, is not created. Asked for them (v8+), the
/// cluster's (v8-10) and each topic's authorized operations are every operation of the resource: there is no authorizer.
/// </summary>
public sealed class MetadataHandler(
    IGrainFactory grains,
    TopicCache topics,
    BrokerIdentity broker,
    ClusterBrokers brokers,
    IBrokerConfigs brokerConfigs) : KafkaApiHandler<MetadataRequest, MetadataResponse>
{
    public override ApiKey ApiKey => ApiKey.Metadata;

    public override short MinVersion => 0;

    public override short MaxVersion => 12;

    protected override async Task<MetadataResponse?> HandleAsync(MetadataRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var all = body.Topics is null || (request.ApiVersion == 0 && body.Topics.Count == 0);
        var names = all
            ? await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()
            : body.Topics!.Select(t => t.Name ?? "").Distinct(StringComparer.Ordinal).ToList();
        var autoCreate = !all && (request.ApiVersion < 4 || body.AllowAutoTopicCreation) && brokerConfigs.AutoCreateTopicsEnable;

        var live = await brokers.LiveAsync();
        var liveIds = live.Select(b => b.BrokerId).ToHashSet();
        var response = new MetadataResponse
        {
            Brokers = live.Select(b => new MetadataResponse.MetadataResponseBroker { NodeId = b.BrokerId, Host = b.Host, Port = b.Port }).ToList(),
            ClusterId = broker.ClusterId,
            ControllerId = brokers.ControllerId(),
            ClusterAuthorizedOperations = AuthorizedOperations.When(
                request.ApiVersion is >= 8 and <= 10 && body.IncludeClusterAuthorizedOperations, AuthorizedOperations.Cluster),
        };
        var topicOperations = AuthorizedOperations.When(request.ApiVersion >= 8 && body.IncludeTopicAuthorizedOperations, AuthorizedOperations.Topic);
        foreach (var name in names)
        {
            var topic = await DescribeAsync(name, autoCreate, liveIds);
            topic.TopicAuthorizedOperations = topicOperations;
            response.Topics.Add(topic);
        }

        return response;
    }

    private async Task<MetadataResponse.MetadataResponseTopic> DescribeAsync(string name, bool autoCreate, HashSet<int> liveIds)
    {
        if (TopicNames.Validate(name) is not null)
        {
            return new() { Name = name, ErrorCode = (short)ErrorCode.InvalidTopicException };
        }

        var topic = await topics.DescribeAsync(name);
        if (topic is null && autoCreate && name != InternalTopics.TransactionState)
        {
            // With this broker's num.partitions, as Kafka's auto-creation asks for the receiving broker's; the offsets
            // topic as the group coordinator creates it.
            var created = await grains.GetGrain<ITopicGrain>(name).CreateAsync(name == InternalTopics.ConsumerOffsets
                ? new CreateTopicRequest(brokerConfigs.OffsetsTopicNumPartitions, -1, InternalTopics.ConsumerOffsetsConfigs)
                : new CreateTopicRequest(brokerConfigs.NumPartitions, -1, new Dictionary<string, string?>()));
            topic = created.Topic ?? await grains.GetGrain<ITopicGrain>(name).DescribeAsync();
            if (topic is not null)
            {
                topics.Set(topic);
            }
        }

        if (topic is null)
        {
            return new() { Name = name, ErrorCode = (short)ErrorCode.UnknownTopicOrPartition };
        }

        return new()
        {
            Name = name,
            TopicId = topic.TopicId,
            IsInternal = InternalTopics.IsInternal(name),
            Partitions = Enumerable.Range(0, topic.PartitionCount).Select(p => Partition(p, topic.PartitionBrokers[p], liveIds.Contains(topic.PartitionBrokers[p]))).ToList(),
        };
    }

    private static MetadataResponse.MetadataResponsePartition Partition(int index, int brokerId, bool live) => live
        ? new()
        {
            PartitionIndex = index,
            LeaderId = brokerId,
            LeaderEpoch = 0,
            ReplicaNodes = [brokerId],
            IsrNodes = [brokerId],
        }
        : new()
        {
            PartitionIndex = index,
            ErrorCode = (short)ErrorCode.LeaderNotAvailable,
            LeaderId = -1,
            LeaderEpoch = 0,
            ReplicaNodes = [brokerId],
            IsrNodes = [],
            OfflineReplicas = [brokerId],
        };
}
