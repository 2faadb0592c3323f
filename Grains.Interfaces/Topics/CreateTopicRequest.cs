namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// Kafka's CreateTopics for one topic. A partition count or replication factor of -1 takes the broker default.
/// <see cref="Assignments"/>, when not empty, places each partition on the brokers named (partition count and
/// replication factor are then -1, as Kafka requires).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.CreateTopicRequest")]
public sealed record CreateTopicRequest(
    [property: Id(0)] int PartitionCount,
    [property: Id(1)] short ReplicationFactor,
    [property: Id(2)] IReadOnlyDictionary<string, string?> Configs,
    [property: Id(3)] bool ValidateOnly = false,
    [property: Id(4)] IReadOnlyList<ReplicaAssignment>? Assignments = null);
