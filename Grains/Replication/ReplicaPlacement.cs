using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Replication;

/// <summary>A topic's replica lists, or Kafka's error and message when they cannot be made.</summary>
public sealed record PlacementDecision(ErrorCode Error, string? Message, IReadOnlyList<IReadOnlyList<int>> Replicas)
{
    public static PlacementDecision Fail(ErrorCode error, string message) => new(error, message, []);
}

/// <summary>
/// Places a topic's replicas on live brokers after Kafka's rack-aware assignment (AdminUtils.assignReplicasToBrokers):
/// brokers are listed alternating between racks (a broker without a rack is a rack of its own), each partition's first
/// replica (its preferred leader) goes round the list from a start that depends on the topic's name, and every further
/// replica at a shifting distance from it, skipping a broker whose rack already holds a replica of the partition while
/// a rack without one is left, and a broker that holds one while a broker without one is left. So leaders spread evenly,
/// followers of one broker's partitions spread over the others, and a rack's loss leaves every partition a replica.
/// <para>Deterministic: the same topic, brokers and racks give the same lists on every silo and every run.</para>
/// </summary>
public static class ReplicaPlacement
{
    /// <param name="racks">Each live broker's rack (<c>broker.rack</c>), or null when it has none.</param>
    public static PlacementDecision Assign(string topic, int partitionCount, int replicationFactor, IReadOnlyDictionary<int, string?> racks, int firstPartition = 0)
    {
        if (replicationFactor <= 0)
        {
            return PlacementDecision.Fail(ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0.");
        }

        if (replicationFactor > racks.Count)
        {
            return PlacementDecision.Fail(ErrorCode.InvalidReplicationFactor,
                $"Unable to replicate the partition {replicationFactor} time(s): The target replication factor of {replicationFactor} cannot be reached because only {racks.Count} broker(s) are registered.");
        }

        // Without racks, Kafka's rack-unaware placement: the brokers in id order, each its own rack.
        var rackAware = racks.Values.Any(r => r is not null);
        var brokers = rackAware ? RackAlternated(racks) : [.. racks.Keys.Order()];
        var rackCount = rackAware ? brokers.Select(b => RackOf(racks, b)).Distinct().Count() : 1;
        var hash = (int)(StableHash(topic) & int.MaxValue);
        var start = hash % brokers.Length;
        var shift = (hash / brokers.Length) % brokers.Length;
        var result = new List<IReadOnlyList<int>>(partitionCount);
        for (var partition = firstPartition; partition < firstPartition + partitionCount; partition++)
        {
            // The distance of the later replicas grows by one each time the leaders have gone round the brokers, so that
            // partitions that share a leader do not share their followers too.
            var partitionShift = shift + (partition / brokers.Length);
            result.Add(PlacePartition(brokers, racks, rackCount, (partition + start) % brokers.Length, partitionShift, replicationFactor, rackAware));
        }

        return new PlacementDecision(ErrorCode.None, null, result);
    }

    private static int[] PlacePartition(int[] brokers, IReadOnlyDictionary<int, string?> racks, int rackCount, int first, int shift, int replicationFactor, bool rackAware)
    {
        var replicas = new List<int>(replicationFactor) { brokers[first] };
        var racksUsed = new HashSet<string>(StringComparer.Ordinal) { RackOf(racks, brokers[first]) };
        for (var k = 0; replicas.Count < replicationFactor; k++)
        {
            var broker = brokers[ReplicaIndex(first, shift * rackCount, k, brokers.Length)];
            var rackFree = !rackAware || !racksUsed.Contains(RackOf(racks, broker)) || racksUsed.Count == rackCount;
            if (rackFree && !replicas.Contains(broker))
            {
                replicas.Add(broker);
                racksUsed.Add(RackOf(racks, broker));
            }
        }

        return [.. replicas];
    }

    /// <summary>A broker's rack; one without a rack is a rack of its own (as KRaft's placer takes it).</summary>
    private static string RackOf(IReadOnlyDictionary<int, string?> racks, int broker) => racks[broker] ?? $"\0{broker:D10}";

    /// <summary>The broker <paramref name="k"/> places after the first, at 1 + (shift + k) mod (n - 1) from it: never the first itself.</summary>
    private static int ReplicaIndex(int first, int shift, int k, int brokerCount) =>
        brokerCount == 1 ? first : (first + 1 + (int)(((long)shift + k) % (brokerCount - 1))) % brokerCount;

    /// <summary>The brokers, one rack after the other in rack order, each rack's in id order: r1b1, r2b1, r1b2, r2b2, ...</summary>
    private static int[] RackAlternated(IReadOnlyDictionary<int, string?> racks)
    {
        var byRack = racks.Keys.GroupBy(b => RackOf(racks, b), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Queue<int>(g.Order()))
            .ToList();
        var result = new List<int>(racks.Count);
        for (var i = 0; result.Count < racks.Count; i = (i + 1) % byRack.Count)
        {
            if (byRack[i].TryDequeue(out var broker))
            {
                result.Add(broker);
            }
        }

        return [.. result];
    }

    /// <summary>FNV-1a: the same on every silo and every run, unlike string.GetHashCode.</summary>
    private static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
