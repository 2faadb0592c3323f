namespace Tributary.Grains.Interfaces.Partitions;

[GenerateSerializer, Immutable, Alias("Tributary.Partitions.PartitionOffsets")]
public sealed record PartitionOffsets(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] long LogStartOffset,
    [property: Id(2)] long HighWatermark,
    [property: Id(3)] long LogEndOffset,
    [property: Id(4)] long SizeInBytes,
    [property: Id(5)] long LastStableOffset);
