using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Grains.Placement;

/// <summary>The brokers that are members of the cluster now, from Orleans membership.</summary>
public sealed class LiveBrokers(IClusterMembershipService membership)
{
    /// <summary>Active brokers by id.</summary>
    public IReadOnlyDictionary<int, SiloAddress> Active()
    {
        var brokers = new Dictionary<int, SiloAddress>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && BrokerNames.TryParse(member.Name, out var id))
            {
                brokers[id] = member.SiloAddress;
            }
        }

        return brokers;
    }
}
