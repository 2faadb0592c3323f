namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// Spreads a topic's partitions over the live brokers, round-robin from a start that depends on the topic name (as
/// Kafka starts from a random broker), so that many small topics do not all land on the first broker.
/// </summary>
public static class PartitionAssignment
{
    public static List<int> Assign(string topic, int partitionCount, IReadOnlyCollection<int> brokerIds, int firstPartition = 0)
    {
        if (brokerIds.Count == 0)
        {
            throw new InvalidOperationException("No live broker to assign partitions to.");
        }

        var brokers = brokerIds.Order().ToArray();
        var start = (int)((uint)StableHash(topic) % (uint)brokers.Length);
        return Enumerable.Range(firstPartition, partitionCount)
            .Select(p => brokers[(start + p) % brokers.Length])
            .ToList();
    }

    /// <summary>FNV-1a: the same on every silo and every run, unlike string.GetHashCode.</summary>
    private static int StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
