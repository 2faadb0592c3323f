namespace Tributary.Grains.Interfaces.Topics;

/// <summary>One partition's replicas as a CreateTopics request assigns them by hand (Kafka's manual replica assignment).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.ReplicaAssignment")]
public sealed record ReplicaAssignment(
    [property: Id(0)] int PartitionIndex,
    [property: Id(1)] IReadOnlyList<int> BrokerIds);
