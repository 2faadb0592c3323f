namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// One partition of Kafka's AlterPartitionReassignments: the replicas to move it to, in preference order, or null to
/// cancel the reassignment in progress.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.PartitionReassignmentTarget")]
public sealed record PartitionReassignmentTarget(
    [property: Id(0)] int Partition,
    [property: Id(1)] IReadOnlyList<int>? Replicas);

/// <summary>The outcome of a reassignment's start or cancellation for one partition: Kafka's error code and message.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.PartitionReassignmentResult")]
public sealed record PartitionReassignmentResult(
    [property: Id(0)] int Partition,
    [property: Id(1)] ErrorCode Error,
    [property: Id(2)] string? ErrorMessage);
