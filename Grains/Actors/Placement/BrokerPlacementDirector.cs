using Orleans.Runtime.Placement;
using Tributary.Grains.Interfaces.Partitions;

namespace Tributary.Grains.Actors.Placement;

/// <summary>
/// Puts a grain whose integer key is a broker id on the silo of that broker, which holds the broker's data directory.
/// When the broker is not a live member, placement fails with <see cref="BrokerNotAvailableException"/> rather than put
/// the grain where the broker's files are not.
/// </summary>
public sealed class BrokerPlacementDirector(LiveBrokers brokers) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var brokerId = (int)target.GrainIdentity.GetIntegerKey();
        if (!brokers.Active().TryGetValue(brokerId, out var silo) || !context.GetCompatibleSilos(target).Contains(silo))
        {
            throw new BrokerNotAvailableException(brokerId);
        }

        return Task.FromResult(silo);
    }
}
