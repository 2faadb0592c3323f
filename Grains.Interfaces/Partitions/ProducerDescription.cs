namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>One producer's state on a partition, as DescribeProducers reports it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.ProducerDescription")]
public sealed record ProducerDescription(
    [property: Id(0)] long ProducerId,
    [property: Id(1)] int ProducerEpoch,
    [property: Id(2)] int LastSequence,
    [property: Id(3)] long LastTimestamp,
    [property: Id(4)] int CoordinatorEpoch,
    [property: Id(5)] long CurrentTxnStartOffset);
