namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>Produce's answer for one partition: the first offset assigned, or an error.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.AppendResult")]
public sealed record AppendResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] long BaseOffset,
    [property: Id(3)] long LogAppendTime,
    [property: Id(4)] long LogStartOffset);
