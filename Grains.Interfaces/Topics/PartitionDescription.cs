using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// What a partition needs to know of its topic to be placed and opened: the topic's id, the broker of its leader,
/// whose log serves it, the topic's configs (those set on it; the rest take their defaults) and the partition's
/// replication state.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.PartitionDescription")]
public sealed record PartitionDescription(
    [property: Id(0)] Guid TopicId,
    [property: Id(1)] int BrokerId,
    [property: Id(2)] IReadOnlyDictionary<string, string> Configs,
    [property: Id(3)] PartitionRegistration Registration);
