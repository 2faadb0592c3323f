using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// Metadata (3): the brokers, and for each topic asked for (all when none is named) its id and partitions with their
/// leaders. A topic that does not exist is created when both the client (v4+) and the broker
/// (<c>auto.create.topics.enable</c>) allow it.
/// </summary>
public sealed class MetadataHandler(
    IGrainFactory grains,
    TopicCache topics,
    BrokerIdentity broker,
    IOptions<KafkaListenerOptions> options) : KafkaApiHandler<MetadataRequest, MetadataResponse>
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
        var autoCreate = options.Value.AutoCreateTopics && (request.ApiVersion < 4 || body.AllowAutoTopicCreation) && !all;

        var response = new MetadataResponse
        {
            Brokers = [new() { NodeId = broker.BrokerId, Host = broker.Host, Port = broker.Port }],
            ClusterId = broker.ClusterId,
            ControllerId = broker.BrokerId,
        };
        foreach (var name in names)
        {
            response.Topics.Add(await DescribeAsync(name, autoCreate));
        }

        return response;
    }

    private async Task<MetadataResponse.MetadataResponseTopic> DescribeAsync(string name, bool autoCreate)
    {
        if (TopicNames.Validate(name) is not null)
        {
            return new() { Name = name, ErrorCode = (short)ErrorCode.InvalidTopicException };
        }

        var topic = await topics.DescribeAsync(name);
        if (topic is null && autoCreate)
        {
            var created = await grains.GetGrain<ITopicGrain>(name).CreateAsync(new CreateTopicRequest(-1, -1, new Dictionary<string, string?>()));
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
            IsInternal = name.StartsWith("__", StringComparison.Ordinal),
            Partitions = Enumerable.Range(0, topic.PartitionCount).Select(p => new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = p,
                LeaderId = topic.PartitionBrokers[p],
                LeaderEpoch = 0,
                ReplicaNodes = [topic.PartitionBrokers[p]],
                IsrNodes = [topic.PartitionBrokers[p]],
            }).ToList(),
        };
    }
}
