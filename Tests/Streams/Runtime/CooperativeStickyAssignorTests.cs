using Confluent.Kafka;
using Tributary.Grains.Streams.Runtime.Assignment;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Tests.Streams.Runtime;

/// <summary>The cooperative sticky assignment a thread makes as leader of a group it shares with earlier versions' librdkafka threads.</summary>
public sealed class CooperativeStickyAssignorTests
{
    private static JoinedMember Member(string id, params int[] owned) =>
        new(id, null, ConsumerProtocol.Write(new ConsumerSubscription(["words"], null, [.. owned.Select(p => new TopicPartition("words", p))])));

    private static Dictionary<string, List<int>> Assign(params JoinedMember[] members) =>
        CooperativeStickyAssignor.Assign(members, _ => 6).ToDictionary(
            a => a.Key, a => ConsumerProtocol.ReadAssignment(a.Value).Partitions.Select(p => p.Partition.Value).ToList());

    [Fact]
    public void AFreshGroup_SharesThePartitionsEvenly()
    {
        var assigned = Assign(Member("a"), Member("b"), Member("c"));

        Assert.All(assigned.Values, partitions => Assert.Equal(2, partitions.Count));
        Assert.Equal(Enumerable.Range(0, 6), assigned.Values.SelectMany(p => p).Order());
    }

    [Fact]
    public void MembersKeepWhatTheyOwnWhileTheirShareLasts_AndAPartitionMovingAway_IsWithheldUntilItsOwnerLetsGo()
    {
        // a owned everything; b joins.
        var first = Assign(Member("a", 0, 1, 2, 3, 4, 5), Member("b"));
        Assert.Equal([0, 1, 2], first["a"]);
        Assert.Empty(first["b"]);

        // a let 3, 4 and 5 go and joins again: b gets them; a keeps its own.
        var second = Assign(Member("a", 0, 1, 2), Member("b"));
        Assert.Equal([0, 1, 2], second["a"]);
        Assert.Equal([3, 4, 5], second["b"]);
    }

    [Fact]
    public void APartitionTwoMembersClaim_GoesToOneOfThem_AndIsNotWithheld()
    {
        var assigned = Assign(Member("a", 0), Member("b", 0));

        Assert.Equal(Enumerable.Range(0, 6), assigned.Values.SelectMany(p => p).Order());
        Assert.All(assigned.Values, partitions => Assert.Equal(3, partitions.Count));
    }
}
