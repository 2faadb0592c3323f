namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// Fetch for one partition. When nothing is readable at <see cref="FetchOffset"/>, the read waits up to
/// <see cref="MaxWait"/> for an append (no polling), then answers with what there is. A read_committed read
/// (<see cref="ReadCommitted"/>) ends at the last stable offset and lists the aborted transactions in its range. A
/// <see cref="CurrentLeaderEpoch"/> other than the partition's (-1 names none) is FENCED_LEADER_EPOCH or
/// UNKNOWN_LEADER_EPOCH, as Kafka answers a client whose metadata is behind or ahead of the partition's leader.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.ReadRequest")]
public sealed record ReadRequest(
    [property: Id(0)] long FetchOffset,
    [property: Id(1)] int MaxBytes,
    [property: Id(2)] TimeSpan MaxWait,
    [property: Id(3)] bool MinOneMessage = true,
    [property: Id(4)] bool ReadCommitted = false,
    [property: Id(5)] int CurrentLeaderEpoch = -1);
