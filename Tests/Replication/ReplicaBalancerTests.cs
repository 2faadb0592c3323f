using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Tests.Replication;

public sealed class ReplicaBalancerTests
{
    /// <summary>Partitions of topic "t" on the given replica lists, as placed on three brokers.</summary>
    private static List<RegisteredPartition> Topic(params int[][] replicas) =>
        [.. replicas.Select((r, p) => new RegisteredPartition("t", p, PartitionRegistration.New(r)))];

    private static List<RegisteredPartition> Apply(List<RegisteredPartition> partitions, IEnumerable<ReplicaMove> moves)
    {
        var result = partitions.ToList();
        foreach (var move in moves)
        {
            result[move.Partition] = result[move.Partition] with { Registration = PartitionRegistration.New(move.Target) };
        }

        return result;
    }

    [Fact]
    public void ANewBroker_GetsItsEvenShareOfReplicasAndPreferredLeaderships_AFewMovesAtATime()
    {
        // 8 partitions, 3 replicas each, on brokers 1-3; broker 4 joins: 6 replicas and 2 preferred leaderships each.
        var partitions = Topic([.. Enumerable.Range(0, 8).Select(p => new[] { 1 + (p % 3), 1 + ((p + 1) % 3), 1 + ((p + 2) % 3) })]);
        var rounds = 0;
        for (IReadOnlyList<ReplicaMove> moves; (moves = ReplicaBalancer.Plan(partitions, [1, 2, 3, 4], new HashSet<int>(), maxMoves: 3)).Count > 0; rounds++)
        {
            Assert.True(moves.Count <= 3);
            Assert.All(moves, m => Assert.Equal(3, m.Target.Distinct().Count()));
            partitions = Apply(partitions, moves);
            Assert.True(rounds < 20, "the balancer does not settle");
        }

        Assert.True(rounds >= 2);
        Assert.All(new[] { 1, 2, 3, 4 }, b => Assert.Equal(6, partitions.Count(p => p.Registration.Replicas.Contains(b))));
        Assert.All(new[] { 1, 2, 3, 4 }, b => Assert.Equal(2, partitions.Count(p => p.Registration.Replicas[0] == b)));
    }

    [Fact]
    public void ADrainingBroker_LosesEveryReplica_ToTheLeastLoadedBrokers()
    {
        var partitions = Topic([1, 2], [2, 3], [3, 1], [1, 3]);

        var moves = ReplicaBalancer.Plan(partitions, [2, 3, 4], new HashSet<int> { 1 }, maxMoves: 10);
        var after = Apply(partitions, moves);

        Assert.All(after, p => Assert.DoesNotContain(1, p.Registration.Replicas));
        Assert.All(after, p => Assert.Equal(2, p.Registration.Replicas.Distinct().Count()));
        var loads = new[] { 2, 3, 4 }.Select(b => after.Count(p => p.Registration.Replicas.Contains(b))).ToList();
        Assert.True(loads.Max() - loads.Min() <= 1, string.Join(",", loads));
    }

    [Fact]
    public void ABalancedCluster_AndOneWithReassignmentsFillingTheBudget_GetNoMoves()
    {
        var balanced = Topic([1, 2], [2, 3], [3, 1]);
        Assert.Empty(ReplicaBalancer.Plan(balanced, [1, 2, 3], new HashSet<int>(), maxMoves: 5));

        var busy = Topic([1], [1], [1], [1]);
        busy[0] = busy[0] with { Registration = PartitionReassignment.Start(busy[0].Registration, [2], _ => true).Registration };
        Assert.Empty(ReplicaBalancer.Plan(busy, [1, 2, 3], new HashSet<int>(), maxMoves: 1));
        Assert.Single(ReplicaBalancer.Plan(busy, [1, 2, 3], new HashSet<int>(), maxMoves: 2));
    }

    [Fact]
    public void Moves_KeepEachPartitionsReplicasInDifferentRacks()
    {
        var racks = new Dictionary<int, string?> { [1] = "a", [2] = "b", [3] = "c", [4] = "a" };
        var partitions = Topic([1, 2], [2, 3], [3, 1], [1, 2], [2, 3], [3, 1]);
        for (var round = 0; round < 20; round++)
        {
            var moves = ReplicaBalancer.Plan(partitions, [1, 2, 3, 4], new HashSet<int>(), maxMoves: 2, racks: racks);
            if (moves.Count == 0)
            {
                break;
            }

            partitions = Apply(partitions, moves);
        }

        Assert.Contains(partitions, p => p.Registration.Replicas.Contains(4));
        Assert.All(partitions, p => Assert.Equal(p.Registration.Replicas.Count, p.Registration.Replicas.Select(b => racks[b]).Distinct().Count()));
    }

    [Fact]
    public void PartitionsBeingMoved_CountAtTheirTarget_SoThatTheBalancerDoesNotOvershoot()
    {
        var partitions = Topic([1], [1], [1], [1], [1], [1]);
        for (var p = 0; p < 3; p++)
        {
            partitions[p] = partitions[p] with { Registration = PartitionReassignment.Start(partitions[p].Registration, [2], _ => true).Registration };
        }

        Assert.Empty(ReplicaBalancer.Plan(partitions, [1, 2], new HashSet<int>(), maxMoves: 10));
    }
}
