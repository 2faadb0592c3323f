namespace Tributary.Grains.Interfaces.Topics;

/// <summary>The outcome of a create: the topic, or Kafka's error code and message.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.CreateTopicResult")]
public sealed record CreateTopicResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] TopicDescription? Topic);
