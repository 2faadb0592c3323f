using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Topics;

/// <summary>
/// Kafka's <c>auto.create.topics.enable</c> for writers other than a Metadata request, such as the REST Proxy's produce
/// (whose Confluent original writes through a Kafka producer, whose metadata request creates the topic): a topic that
/// does not exist is created with this broker's <c>num.partitions</c>, both read from this silo's copy of the dynamic
/// broker configs at the moment of the request.
/// </summary>
public sealed class TopicAutoCreation(IGrainFactory grains, TopicCache topics, IBrokerConfigs brokerConfigs)
{
    /// <summary>
    /// The topic, created first when it does not exist and the broker allows it; otherwise Kafka's reason:
    /// INVALID_TOPIC_EXCEPTION for an illegal name, UNKNOWN_TOPIC_OR_PARTITION when creation is off, not
    /// <paramref name="mayCreate"/> (the caller has no CREATE right), or failed.
    /// </summary>
    public async ValueTask<(TopicDescription? Topic, ErrorCode Error, string? Message)> DescribeOrCreateAsync(string name, bool mayCreate = true)
    {
        if (TopicNames.Validate(name) is { } illegal)
        {
            return (null, ErrorCode.InvalidTopicException, illegal);
        }

        if (await topics.DescribeAsync(name) is { } existing)
        {
            return (existing, ErrorCode.None, null);
        }

        if (!mayCreate)
        {
            return (null, ErrorCode.UnknownTopicOrPartition, $"Topic {name} does not exist.");
        }

        if (!brokerConfigs.AutoCreateTopicsEnable)
        {
            return (null, ErrorCode.UnknownTopicOrPartition, $"Topic {name} does not exist and auto.create.topics.enable is false.");
        }

        var topic = grains.GetGrain<ITopicGrain>(name);
        var created = await topic.CreateAsync(new CreateTopicRequest(brokerConfigs.NumPartitions, -1, new Dictionary<string, string?>()));

        // Another writer may have created it meanwhile (TOPIC_ALREADY_EXISTS): then it is there to use.
        var description = created.Topic ?? await topic.DescribeAsync();
        if (description is null)
        {
            return (null, ErrorCode.UnknownTopicOrPartition, created.ErrorMessage);
        }

        topics.Set(description);
        return (description, ErrorCode.None, null);
    }
}
