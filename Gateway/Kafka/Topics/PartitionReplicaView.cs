using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Gateway.Kafka.Topics;

/// <summary>
/// How Metadata and DescribeTopicPartitions show a partition's replication state to clients: its leader while that
/// broker is a live member (otherwise none, which clients see as LEADER_NOT_AVAILABLE), its replicas in preference
/// order, the in-sync replicas that are live, and the replicas that are not (offline).
/// </summary>
internal static class PartitionReplicaView
{
    /// <summary>
    /// Fills <paramref name="isr"/> and <paramref name="offline"/> (cleared first, so that a writer of many partitions
    /// reuses its lists) and returns the leader to show, or -1.
    /// </summary>
    public static int Fill(PartitionRegistration registration, IReadOnlySet<int> live, List<int> isr, List<int> offline)
    {
        var leader = LeaderOf(registration, live);
        isr.Clear();
        offline.Clear();
        if (leader >= 0)
        {
            foreach (var broker in registration.Isr)
            {
                if (live.Contains(broker))
                {
                    isr.Add(broker);
                }
            }
        }

        foreach (var broker in registration.Replicas)
        {
            if (!live.Contains(broker))
            {
                offline.Add(broker);
            }
        }

        return leader;
    }

    /// <summary>The leader to show: the registration's while it is a live broker, else -1 (none a client could reach).</summary>
    public static int LeaderOf(PartitionRegistration registration, IReadOnlySet<int> live) =>
        registration.Leader != PartitionRegistration.NoLeader && live.Contains(registration.Leader) ? registration.Leader : PartitionRegistration.NoLeader;
}
