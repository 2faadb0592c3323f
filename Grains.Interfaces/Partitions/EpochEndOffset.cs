namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// OffsetForLeaderEpoch's answer for one partition: the largest leader epoch not above the one asked for that the
/// log holds data of, and the offset where that epoch's data ends; -1 and -1 when the log knows no such epoch.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.EpochEndOffset")]
public sealed record EpochEndOffset(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] int LeaderEpoch,
    [property: Id(2)] long EndOffset);
