namespace Tributary.Grains.Replication;

/// <summary>One partition's new replica list, in preference order, for a reassignment.</summary>
public sealed record ReplicaMove(string Topic, int Partition, IReadOnlyList<int> Target);

/// <summary>
/// The cluster's own balancing, which open-source Kafka leaves to reassignment jobs (Confluent's Self-Balancing does it
/// for a fee): the reassignments that even out how many replicas, and how many preferred leaderships (first
/// replicas), each broker has, a few at a time. Replicas leave draining brokers first, then move one at a time from
/// the most loaded broker to the least loaded one that does not hold the partition, keeping its place in the list
/// (the preferred leader's replica moves as the preferred replica); then first replicas are swapped within partitions
/// until preferred leaderships are even too. A replica never moves to a broker whose rack another replica of the
/// partition already uses. Partitions being reassigned count at their target and are not moved again. Pure: the
/// caller starts the reassignments and, once they are done, preferred elections move leadership.
/// </summary>
public static class ReplicaBalancer
{
    /// <param name="partitions">Every partition with its registration.</param>
    /// <param name="brokers">The brokers that should hold replicas: live, not draining.</param>
    /// <param name="draining">Brokers whose replicas all move off.</param>
    /// <param name="maxMoves">How many partitions may be reassigned at once, those in progress included.</param>
    /// <param name="balance">False to move replicas off draining brokers only.</param>
    /// <param name="racks">Each broker's rack (<c>broker.rack</c>), where it has one.</param>
    public static IReadOnlyList<ReplicaMove> Plan(
        IReadOnlyList<RegisteredPartition> partitions,
        IReadOnlyCollection<int> brokers,
        IReadOnlySet<int> draining,
        int maxMoves,
        bool balance = true,
        IReadOnlyDictionary<int, string?>? racks = null)
    {
        var budget = maxMoves - partitions.Count(p => p.Registration.IsReassigning);
        if (budget <= 0 || brokers.Count == 0)
        {
            return [];
        }

        var targets = partitions
            .OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)
            .Select(p => new Target(
                p.Topic,
                p.Partition,
                [.. p.Registration.Replicas.Where(b => !p.Registration.RemovingReplicas.Contains(b))],
                p.Registration.Replicas,
                Locked: p.Registration.IsReassigning))
            .ToList();
        var eligible = brokers.Order().ToList();
        var moved = new HashSet<(string, int)>();

        int Load(int broker) => targets.Count(t => t.Replicas.Contains(broker));
        int Preferred(int broker) => targets.Count(t => t.Replicas[0] == broker);
        string? RackOf(int broker) => racks?.GetValueOrDefault(broker);

        // Whether the replica on source may go to destination: no other replica of the partition in its rack.
        bool RackAllows(List<int> replicas, int source, int destination) =>
            RackOf(destination) is not { } rack || !replicas.Any(b => b != source && RackOf(b) == rack);

        bool Move(Func<Target, int?> from, Func<List<int>, int, int?> to)
        {
            foreach (var target in targets.Where(t => !t.Locked && !moved.Contains((t.Topic, t.Partition))))
            {
                if (from(target) is { } source && to(target.Replicas, source) is { } destination)
                {
                    target.Replicas[target.Replicas.IndexOf(source)] = destination;
                    moved.Add((target.Topic, target.Partition));
                    return true;
                }
            }

            return false;
        }

        int? LeastLoadedWithout(List<int> replicas, int source) =>
            eligible.Where(b => !replicas.Contains(b) && RackAllows(replicas, source, b)).OrderBy(Load).ThenBy(b => b).Cast<int?>().FirstOrDefault();

        // Replicas on draining brokers go first, each to the least loaded broker without the partition.
        while (moved.Count < budget && Move(t => t.Replicas.Where(draining.Contains).Cast<int?>().FirstOrDefault(), LeastLoadedWithout))
        {
        }

        // Then from the most loaded broker to the least loaded one, while they differ by more than one replica.
        while (balance && moved.Count < budget)
        {
            var most = eligible.OrderByDescending(Load).ThenBy(b => b).First();
            var least = eligible.OrderBy(Load).ThenBy(b => b).First();
            if (Load(most) - Load(least) <= 1
                || !Move(t => t.Replicas.Contains(most) && !t.Replicas.Contains(least) ? most : null, (replicas, source) => RackAllows(replicas, source, least) ? least : null))
            {
                break;
            }
        }

        // Then preferred leaderships: a partition whose first replica is on the broker preferred most often, and which
        // has a replica on the one preferred least, puts that replica first.
        while (balance && moved.Count < budget)
        {
            var most = eligible.OrderByDescending(Preferred).ThenBy(b => b).First();
            var least = eligible.OrderBy(Preferred).ThenBy(b => b).First();
            if (Preferred(most) - Preferred(least) <= 1 || !SwapFirst(most, least))
            {
                break;
            }
        }

        return [.. targets
            .Where(t => moved.Contains((t.Topic, t.Partition)) && !t.Replicas.SequenceEqual(t.Before))
            .Select(t => new ReplicaMove(t.Topic, t.Partition, t.Replicas))];

        bool SwapFirst(int most, int least)
        {
            foreach (var target in targets.Where(t => !t.Locked && t.Replicas[0] == most && t.Replicas.Contains(least)))
            {
                var at = target.Replicas.IndexOf(least);
                (target.Replicas[0], target.Replicas[at]) = (least, most);

                // A partition moved already in this plan only has its target refined, at no extra cost.
                moved.Add((target.Topic, target.Partition));
                return true;
            }

            return false;
        }
    }

    /// <summary>A partition's replicas as planned (its reassignment's target while one is in progress, then not moved).</summary>
    private sealed record Target(string Topic, int Partition, List<int> Replicas, IReadOnlyList<int> Before, bool Locked);
}
