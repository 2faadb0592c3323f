using Orleans.Placement;

namespace Tributary.Grains.Actors.Placement;

/// <summary>Places a partition grain on the broker that owns the partition's directory (see <see cref="PartitionPlacementDirector"/>).</summary>
[Serializable, GenerateSerializer, Immutable, Alias("Tributary.PartitionPlacement")]
public sealed class PartitionPlacement : PlacementStrategy
{
    internal static PartitionPlacement Singleton { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PartitionPlacementAttribute() : PlacementAttribute(PartitionPlacement.Singleton);
