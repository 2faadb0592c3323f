using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Grains.Actors.Placement;

/// <summary>The brokers that are members of the cluster now, from Orleans membership.</summary>
public sealed class LiveBrokers(IClusterMembershipService membership)
{
    /// <summary>
    /// Active brokers by id. When two active silos claim one broker id, the one that started first keeps it: either
    /// the newer is a misconfigured impostor (which then refuses to start) or the older is a dead incarnation not yet
    /// declared dead, whose partitions answer a retriable error for those few seconds rather than open elsewhere.
    /// </summary>
    public IReadOnlyDictionary<int, SiloAddress> Active()
    {
        var brokers = new Dictionary<int, SiloAddress>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active
                && BrokerNames.TryParse(member.Name, out var id)
                && (!brokers.TryGetValue(id, out var other) || member.SiloAddress.Generation < other.Generation))
            {
                brokers[id] = member.SiloAddress;
            }
        }

        return brokers;
    }
}
