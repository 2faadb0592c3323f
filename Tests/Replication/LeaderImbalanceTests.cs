using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Tests.Replication;

public sealed class LeaderImbalanceTests
{
    private static RegisteredPartition Partition(int index, int leader, params int[] replicas) =>
        new("t", index, new PartitionRegistration(replicas, replicas, leader, 1, 1));

    [Fact]
    public void ABrokerLeadingFewerOfItsPreferredPartitionsThanAllowed_GetsThoseInSyncBack()
    {
        // Broker 1 is preferred for four partitions and leads one: 75% not led, over 10%.
        List<RegisteredPartition> partitions =
        [
            Partition(0, 1, 1, 2, 3),
            Partition(1, 2, 1, 2, 3),
            Partition(2, 3, 1, 3, 2),
            Partition(3, 2, 1, 2, 3) with { Registration = new PartitionRegistration([1, 2, 3], [2, 3], 2, 1, 1) },
            Partition(4, 2, 2, 1, 3),
        ];

        var elect = LeaderImbalance.PartitionsToElect(partitions, _ => true, allowedPercentage: 10);

        // Partition 3's preferred replica is out of the ISR: not elected; broker 2 leads all it prefers.
        Assert.Equal([1, 2], elect.Select(p => p.Partition).Order());
    }

    [Fact]
    public void AnImbalanceWithinTheAllowedShare_OrOfADeadBroker_OrOfUnreplicatedPartitions_MovesNothing()
    {
        List<RegisteredPartition> partitions = [.. Enumerable.Range(0, 10).Select(p => Partition(p, p == 0 ? 2 : 1, 1, 2))];
        Assert.Empty(LeaderImbalance.PartitionsToElect(partitions, _ => true, allowedPercentage: 10));
        Assert.Single(LeaderImbalance.PartitionsToElect(partitions, _ => true, allowedPercentage: 5));
        Assert.Empty(LeaderImbalance.PartitionsToElect(partitions, b => b != 1, allowedPercentage: 5));
        Assert.Empty(LeaderImbalance.PartitionsToElect([Partition(0, 2, 1), Partition(1, 2, 1)], _ => true, allowedPercentage: 0));
    }
}
