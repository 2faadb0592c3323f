using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Replication;

namespace Tributary.Tests.Replication;

public sealed class ReplicaPlacementTests
{
    private static Dictionary<int, string?> NoRacks(params int[] brokers) => brokers.ToDictionary(b => b, _ => (string?)null);

    [Theory]
    [InlineData("orders", 6, 3, 3)]
    [InlineData("payments", 12, 3, 4)]
    [InlineData("clicks", 30, 2, 5)]
    public void EveryPartition_GetsDistinctBrokers_AndLeadersSpreadEvenly(string topic, int partitions, int replicationFactor, int brokers)
    {
        var decision = ReplicaPlacement.Assign(topic, partitions, replicationFactor, NoRacks([.. Enumerable.Range(1, brokers)]));

        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.Equal(partitions, decision.Replicas.Count);
        Assert.All(decision.Replicas, r => Assert.Equal(replicationFactor, r.Distinct().Count()));
        var leaders = decision.Replicas.GroupBy(r => r[0]).Select(g => g.Count()).ToList();
        Assert.Equal(brokers, leaders.Count);
        Assert.True(leaders.Max() - leaders.Min() <= 1, $"leaders per broker: {string.Join(", ", leaders)}");
        var replicasPerBroker = decision.Replicas.SelectMany(r => r).GroupBy(b => b).Select(g => g.Count()).ToList();
        Assert.True(replicasPerBroker.Max() - replicasPerBroker.Min() <= 1, $"replicas per broker: {string.Join(", ", replicasPerBroker)}");
    }

    [Fact]
    public void TheFollowersOfOneLeadersPartitions_SpreadOverTheOtherBrokers()
    {
        var decision = ReplicaPlacement.Assign("spread", 16, 2, NoRacks(1, 2, 3, 4));

        foreach (var byLeader in decision.Replicas.GroupBy(r => r[0]))
        {
            Assert.True(byLeader.Select(r => r[1]).Distinct().Count() > 1, $"broker {byLeader.Key}'s partitions all follow on one broker");
        }
    }

    [Fact]
    public void WithRacks_EveryPartitionSpansRacks_SoThatARacksLossLeavesAReplica()
    {
        var racks = new Dictionary<int, string?> { [1] = "a", [2] = "a", [3] = "b", [4] = "b", [5] = "c", [6] = "c" };

        var twice = ReplicaPlacement.Assign("racked", 24, 2, racks);
        var thrice = ReplicaPlacement.Assign("racked", 24, 3, racks);

        Assert.All(twice.Replicas, r => Assert.Equal(2, r.Select(b => racks[b]).Distinct().Count()));
        Assert.All(thrice.Replicas, r => Assert.Equal(3, r.Select(b => racks[b]).Distinct().Count()));
        Assert.Equal(6, thrice.Replicas.Select(r => r[0]).Distinct().Count());
    }

    [Fact]
    public void ThePlacement_IsTheSameOnEveryCall_AndNewPartitionsContinueIt()
    {
        var brokers = NoRacks(1, 2, 3, 4);
        var whole = ReplicaPlacement.Assign("grow", 8, 3, brokers).Replicas;

        Assert.Equal(whole, ReplicaPlacement.Assign("grow", 8, 3, brokers).Replicas);
        Assert.Equal(whole.Skip(5), ReplicaPlacement.Assign("grow", 3, 3, brokers, firstPartition: 5).Replicas);
    }

    [Fact]
    public void MoreReplicasThanBrokers_IsInvalidReplicationFactor_WithKafkasMessage()
    {
        var decision = ReplicaPlacement.Assign("big", 1, 3, NoRacks(1, 2));

        Assert.Equal(ErrorCode.InvalidReplicationFactor, decision.Error);
        Assert.Equal("Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 2 broker(s) are registered.", decision.Message);
    }
}
