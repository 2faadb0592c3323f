namespace Tributary.Grains.Interfaces.Topics;

/// <summary>The outcome of an administrator's leader election for one partition: Kafka's error code and message.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.LeaderElectionResult")]
public sealed record LeaderElectionResult(
    [property: Id(0)] int Partition,
    [property: Id(1)] ErrorCode Error,
    [property: Id(2)] string? ErrorMessage);
