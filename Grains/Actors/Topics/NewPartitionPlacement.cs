using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// Where new partitions go: replicas placed on the live brokers that are not being retired (rack-aware,
/// <see cref="ReplicaPlacement"/>), or named
/// by the client and checked (<see cref="ReplicaAssignmentRules"/>), then registered with their live replicas in sync.
/// </summary>
internal static class NewPartitionPlacement
{
    /// <summary>
    /// Replica lists for <paramref name="count"/> partitions from <paramref name="firstPartition"/> on the live brokers.
    /// One replica each goes round the brokers as <see cref="PartitionAssignment"/> has always placed them, so that the
    /// partitions a topic grows by continue the round its first ones started and topics land where they did before
    /// replicas were placed (<see cref="ReplicaPlacement"/> starts elsewhere for the same name).
    /// </summary>
    public static async Task<PlacementDecision> PlaceAsync(
        IGrainFactory grains, string topic, int count, int replicationFactor, int firstPartition, IReadOnlyDictionary<int, SiloAddress> live)
    {
        if (live.Count == 0)
        {
            return PlacementDecision.Fail(ErrorCode.BrokerNotAvailable, "No live broker to place the partitions on.");
        }

        // Brokers being retired take no new replicas (unless they are all there is).
        var draining = await grains.GetGrain<IBrokerRegistryGrain>(0).DrainingAsync();
        if (draining.Count > 0 && live.Keys.Any(b => !draining.Contains(b)))
        {
            live = live.Where(b => !draining.Contains(b.Key)).ToDictionary(b => b.Key, b => b.Value);
        }

        if (replicationFactor == 1)
        {
            return new PlacementDecision(ErrorCode.None, null,
                [.. PartitionAssignment.Assign(topic, count, live.Keys.ToArray(), firstPartition).Select(b => (IReadOnlyList<int>)[b])]);
        }

        var registered = await RegisteredBrokersAsync(grains, live);
        return ReplicaPlacement.Assign(topic, count, replicationFactor, live.Keys.ToDictionary(b => b, b => registered[b]), firstPartition);
    }

    /// <summary>
    /// Every broker that ever joined the cluster (Kafka's registered brokers), the live ones included, with its rack
    /// (<c>broker.rack</c>; null when it has none, or when a live broker has not registered yet).
    /// </summary>
    public static async Task<Dictionary<int, string?>> RegisteredBrokersAsync(IGrainFactory grains, IReadOnlyDictionary<int, SiloAddress> live)
    {
        var registered = (await grains.GetGrain<IBrokerRegistryGrain>(0).ListAsync()).ToDictionary(b => b.BrokerId, b => b.Rack);
        foreach (var brokerId in live.Keys)
        {
            registered.TryAdd(brokerId, null);
        }

        return registered;
    }

    /// <summary>New partitions on <paramref name="replicas"/>, each with its live replicas in sync, the first of them leading.</summary>
    public static List<PartitionRegistration> Register(IEnumerable<IReadOnlyList<int>> replicas, IReadOnlyDictionary<int, SiloAddress> live)
    {
        var liveIds = live.Keys.ToHashSet();
        return [.. replicas.Select(r => ReplicaAssignmentRules.Register(r, liveIds))];
    }
}
