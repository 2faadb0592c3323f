namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// What a partition needs to know of its topic to be placed and opened: the topic's id, the broker that owns the
/// partition's log, and the topic's configs (those set on it; the rest take their defaults).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.PartitionDescription")]
public sealed record PartitionDescription(
    [property: Id(0)] Guid TopicId,
    [property: Id(1)] int BrokerId,
    [property: Id(2)] IReadOnlyDictionary<string, string> Configs);
