namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>Fetch's answer for one partition: whole batches as stored, and the partition's offsets.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.ReadResult")]
public sealed record ReadResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] ReadOnlyMemory<byte> Records,
    [property: Id(2)] long HighWatermark,
    [property: Id(3)] long LastStableOffset,
    [property: Id(4)] long LogStartOffset);
