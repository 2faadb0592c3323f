namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// A topic as it exists. <see cref="Configs"/> holds only the configs set on the topic (Kafka's TOPIC_CONFIG
/// source); everything else takes its default. <see cref="PartitionBrokers"/>[p] is the broker id that owns
/// partition p's log.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.TopicDescription")]
public sealed record TopicDescription(
    [property: Id(0)] string Name,
    [property: Id(1)] Guid TopicId,
    [property: Id(2)] int PartitionCount,
    [property: Id(3)] IReadOnlyDictionary<string, string> Configs,
    [property: Id(4)] IReadOnlyList<int> PartitionBrokers);
