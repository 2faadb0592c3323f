namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// Fetch for one partition. When nothing is readable at <see cref="FetchOffset"/>, the read waits up to
/// <see cref="MaxWait"/> for an append (no polling), then answers with what there is. A read_committed read
/// (<see cref="ReadCommitted"/>) ends at the last stable offset and lists the aborted transactions in its range.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.ReadRequest")]
public sealed record ReadRequest(
    [property: Id(0)] long FetchOffset,
    [property: Id(1)] int MaxBytes,
    [property: Id(2)] TimeSpan MaxWait,
    [property: Id(3)] bool MinOneMessage = true,
    [property: Id(4)] bool ReadCommitted = false);
