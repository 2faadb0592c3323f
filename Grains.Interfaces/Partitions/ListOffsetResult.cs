namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>ListOffsets' answer for one partition; offset and timestamp are -1 when no record qualifies.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.ListOffsetResult")]
public sealed record ListOffsetResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] long Offset,
    [property: Id(2)] long Timestamp);
