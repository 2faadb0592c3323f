using Orleans.Runtime.Placement;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.Placement;

/// <summary>
/// Puts a partition grain on the silo of the broker its topic assigned it to, where the partition's log directory
/// is. The assignment is read from the topic grain (this partition's alone, however large the topic), so it is the same on every silo. When that broker is not a live
/// member, placement fails instead of opening a second, empty log elsewhere; the caller sees an error it can retry.
/// </summary>
public sealed class PartitionPlacementDirector(IGrainFactory grains, LiveBrokers brokers) : IPlacementDirector
{
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var partition = target.GrainIdentity.GetIntegerKey(out var topic);
        if (topic is null)
        {
            throw new OrleansException($"Partition grain {target.GrainIdentity} has no topic in its key.");
        }

        var description = partition is < 0 or > int.MaxValue ? null : await grains.GetGrain<ITopicGrain>(topic).DescribePartitionAsync((int)partition);
        if (description is null)
        {
            throw new UnknownPartitionException(topic, (int)partition);
        }

        var brokerId = description.BrokerId;
        if (!brokers.Active().TryGetValue(brokerId, out var silo) || !context.GetCompatibleSilos(target).Contains(silo))
        {
            throw new BrokerNotAvailableException(topic, (int)partition, brokerId);
        }

        return silo;
    }
}
