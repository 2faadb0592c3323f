using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// CreateTopics (19): each topic is created by its topic grain, which validates name, partition count, replication
/// factor, configs and a manual replica assignment (each partition on the one live broker named) with Kafka's rules;
/// <c>validateOnly</c> checks without creating. From v5 the response carries the resulting configs.
/// </summary>
public sealed class CreateTopicsHandler(IGrainFactory grains, TopicCache topics) : KafkaApiHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    public override ApiKey ApiKey => ApiKey.CreateTopics;

    public override short MinVersion => 0;

    public override short MaxVersion => 7;

    protected override async Task<CreateTopicsResponse?> HandleAsync(CreateTopicsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var duplicates = body.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var results = await Task.WhenAll(body.Topics.Select(topic => duplicates.Contains(topic.Name)
            ? Task.FromResult(Failed(topic.Name, ErrorCode.InvalidRequest, $"Create topic request contains the topic '{topic.Name}' more than once."))
            : CreateAsync(topic, body.validateOnly, request.ApiVersion)));
        return new CreateTopicsResponse { Topics = results.ToList() };
    }

    private async Task<CreateTopicsResponse.CreatableTopicResult> CreateAsync(CreateTopicsRequest.CreatableTopic topic, bool validateOnly, short version)
    {
        if (TopicNames.Validate(topic.Name) is { } invalid)
        {
            return Failed(topic.Name, ErrorCode.InvalidTopicException, invalid);
        }

        var configs = topic.Configs.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
        var grain = grains.GetGrain<ITopicGrain>(topic.Name);
        var assignments = topic.Assignments.Select(a => new ReplicaAssignment(a.PartitionIndex, a.BrokerIds)).ToList();
        var created = await grain.CreateAsync(new CreateTopicRequest(topic.NumPartitions, topic.ReplicationFactor, configs, validateOnly, assignments));
        if (created.Error != ErrorCode.None || created.Topic is not { } description)
        {
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
            ReplicationFactor = 1,
        };
        if (version >= 5)
        {
            result.Configs = DescribeCreated(description.Configs);
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

    private static CreateTopicsResponse.CreatableTopicResult Failed(string name, ErrorCode error, string? message) => new()
    {
        Name = name,
        ErrorCode = (short)error,
        ErrorMessage = message,
        Configs = null,
    };
}
