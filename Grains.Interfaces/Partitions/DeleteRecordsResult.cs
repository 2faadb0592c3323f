namespace Tributary.Grains.Interfaces.Partitions;

[GenerateSerializer, Immutable, Alias("Tributary.Partitions.DeleteRecordsResult")]
public sealed record DeleteRecordsResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] long LowWatermark);
