namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// Fetch for one partition. When nothing is readable at <see cref="FetchOffset"/>, the read waits up to
/// <see cref="MaxWait"/> for an append (no polling), then answers with what there is.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.ReadRequest")]
public sealed record ReadRequest(
    [property: Id(0)] long FetchOffset,
    [property: Id(1)] int MaxBytes,
    [property: Id(2)] TimeSpan MaxWait,
    [property: Id(3)] bool MinOneMessage = true);
