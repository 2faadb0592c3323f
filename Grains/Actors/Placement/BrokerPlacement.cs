using Orleans.Placement;

namespace Tributary.Grains.Actors.Placement;

/// <summary>Places a grain keyed by a broker id on that broker's silo (see <see cref="BrokerPlacementDirector"/>).</summary>
[Serializable, GenerateSerializer, Immutable, Alias("Tributary.BrokerPlacement")]
public sealed class BrokerPlacement : PlacementStrategy
{
    internal static BrokerPlacement Singleton { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class BrokerPlacementAttribute() : PlacementAttribute(BrokerPlacement.Singleton);
