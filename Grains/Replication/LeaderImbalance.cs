using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>One partition of a topic and its registration, as the controller sees it.</summary>
public readonly record struct RegisteredPartition(string Topic, int Partition, PartitionRegistration Registration);

/// <summary>
/// Kafka's automatic leader rebalance (<c>auto.leader.rebalance.enable</c>, checked every
/// <c>leader.imbalance.check.interval.seconds</c>): after failovers, leadership piles up on the brokers that stayed.
/// For each live broker, the share of the partitions it is the preferred leader of (first replica) that another broker
/// leads; over <c>leader.imbalance.per.broker.percentage</c>, each of those whose preferred replica is in the ISR is
/// elected back (a PREFERRED election), so leaders spread again as placement spread them.
/// </summary>
public static class LeaderImbalance
{
    public static IReadOnlyList<RegisteredPartition> PartitionsToElect(IEnumerable<RegisteredPartition> partitions, Func<int, bool> isLive, int allowedPercentage)
    {
        var elect = new List<RegisteredPartition>();
        foreach (var preferredBy in partitions.Where(p => p.Registration.Replicas.Count > 1).GroupBy(p => p.Registration.Replicas[0]))
        {
            var broker = preferredBy.Key;
            var all = preferredBy.ToList();
            var notLed = all.Where(p => p.Registration.Leader != broker).ToList();
            if (!isLive(broker) || notLed.Count * 100L <= allowedPercentage * (long)all.Count)
            {
                continue;
            }

            elect.AddRange(notLed.Where(p => p.Registration.Isr.Contains(broker)));
        }

        return elect;
    }
}
