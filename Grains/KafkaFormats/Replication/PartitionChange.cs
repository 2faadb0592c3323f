using Orleans;

namespace Tributary.Grains.KafkaFormats.Replication;

/// <summary>A leader's request to change its partition's ISR, after Kafka's AlterPartition.</summary>
/// <param name="BrokerId">The broker asking: it must be the leader.</param>
/// <param name="LeaderEpoch">The leader epoch the leader believes current.</param>
/// <param name="PartitionEpoch">The partition epoch the request was made against (the compare-and-set's version).</param>
/// <param name="NewIsr">The ISR the leader wants.</param>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.AlterPartitionRequest")]
public sealed record AlterPartitionRequest(
    [property: Id(0)] int BrokerId,
    [property: Id(1)] int LeaderEpoch,
    [property: Id(2)] int PartitionEpoch,
    [property: Id(3)] IReadOnlyList<int> NewIsr);

/// <summary>What a controller change did: the registration after it (unchanged on error) and Kafka's error code.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.PartitionChange")]
public readonly record struct PartitionChange([property: Id(0)] PartitionRegistration Registration, [property: Id(1)] ErrorCode Error)
{
    /// <summary>True when the registration changed (its partition epoch went up).</summary>
    public bool Changed(PartitionRegistration before) => Registration.PartitionEpoch != before.PartitionEpoch;
}
