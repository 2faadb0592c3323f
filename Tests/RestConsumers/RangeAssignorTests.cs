using Tributary.Grains.KafkaFormats.Messages;
using Tributary.Grains.RestConsumers;
using static Tributary.Tests.RestConsumers.Consumers;

namespace Tributary.Tests.RestConsumers;

public sealed class RangeAssignorTests
{
    private static List<int> Partitions(IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> assignment, string member, string topic) =>
        assignment[member].Where(p => p.Topic == topic).Select(p => p.Partition).ToList();

    [Fact]
    public void ALoneMember_TakesEveryPartition()
    {
        var assignment = RangeAssignor.Assign([Member("a", "t")], new Dictionary<string, int> { ["t"] = 3 });

        Assert.Equal([P("t", 0), P("t", 1), P("t", 2)], assignment["a"]);
    }

    [Fact]
    public void Members_TakeConsecutiveRangesInMemberIdOrder_TheFirstOnesOneMore()
    {
        var assignment = RangeAssignor.Assign([Member("c", "t"), Member("a", "t"), Member("b", "t")], new Dictionary<string, int> { ["t"] = 7 });

        Assert.Equal([0, 1, 2], Partitions(assignment, "a", "t"));
        Assert.Equal([3, 4], Partitions(assignment, "b", "t"));
        Assert.Equal([5, 6], Partitions(assignment, "c", "t"));
    }

    [Fact]
    public void EachTopic_IsSharedAmongItsOwnSubscribers_AndRangesRestartPerTopic()
    {
        var assignment = RangeAssignor.Assign(
            [Member("a", "t", "u"), Member("b", "u"), Member("c", "t")],
            new Dictionary<string, int> { ["t"] = 3, ["u"] = 4 });

        Assert.Equal([0, 1], Partitions(assignment, "a", "t"));
        Assert.Equal([2], Partitions(assignment, "c", "t"));
        Assert.Equal([0, 1], Partitions(assignment, "a", "u"));
        Assert.Equal([2, 3], Partitions(assignment, "b", "u"));
        Assert.Empty(Partitions(assignment, "b", "t"));
    }

    [Fact]
    public void MoreMembersThanPartitions_LeavesTheLastMembersEmpty_ButEveryMemberHasAnAssignment()
    {
        var assignment = RangeAssignor.Assign([Member("a", "t"), Member("b", "t"), Member("c", "t")], new Dictionary<string, int> { ["t"] = 2 });

        Assert.Equal([P("t", 0)], assignment["a"]);
        Assert.Equal([P("t", 1)], assignment["b"]);
        Assert.Empty(assignment["c"]);
        Assert.Equal([], ConsumerProtocol.DecodeAssignment(RangeAssignor.Encode(assignment)["c"]));
    }

    [Fact]
    public void ATopicThatDoesNotExist_IsAssignedToNobody()
    {
        var assignment = RangeAssignor.Assign([Member("a", "t", "missing")], new Dictionary<string, int> { ["t"] = 1 });

        Assert.Equal([P("t", 0)], assignment["a"]);
    }

    [Fact]
    public void TheTopicsToDescribe_AreEveryMembersTopicsOnceInOrder()
    {
        Assert.Equal(["a", "b", "c"], RangeAssignor.TopicsOf([Member("m1", "c", "a"), Member("m2", "b", "a")]));
    }

    [Fact]
    public void TheEncodedAssignments_DecodeAsTheConsumerProtocolSaysTheyShould()
    {
        var assignment = RangeAssignor.Assign([Member("a", "t", "u"), Member("b", "t")], new Dictionary<string, int> { ["t"] = 2, ["u"] = 1 });

        var encoded = RangeAssignor.Encode(assignment);

        Assert.Equal([("t", 0), ("u", 0)], ConsumerProtocol.DecodeAssignment(encoded["a"]));
        Assert.Equal([("t", 1)], ConsumerProtocol.DecodeAssignment(encoded["b"]));
    }
}
