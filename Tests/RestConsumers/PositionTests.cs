using Tributary.Grains.KafkaFormats;
using Tributary.Grains.RestConsumers;
using static Tributary.Tests.RestConsumers.Consumers;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Tests.RestConsumers;

public sealed class PositionTests
{
    private static readonly PartitionBounds Bounds = new(LogStartOffset: 10, HighWatermark: 50);

    [Fact]
    public void ASeek_SetsThePositionsOfAssignedPartitions()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0), P("t", 1)]);

        Assert.Equal(RestConsumerError.None, consumer.Seek([At("t", 0, 7), At("t", 1, 3)]));
        Assert.Equal(RestConsumerError.None, consumer.Seek([At("t", 0, 2)]));

        Assert.Equal(new Dictionary<TopicPartition, long> { [P("t", 0)] = 2, [P("t", 1)] = 3 }, consumer.Positions);
    }

    [Fact]
    public void ASeek_WithAPartitionNotAssigned_IsAnIllegalState_AndMovesNothing()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0)]);

        Assert.Equal(RestConsumerError.IllegalState, consumer.Seek([At("t", 0, 7), At("t", 5, 0)]));

        Assert.Empty(consumer.Positions);
    }

    [Fact]
    public void ASeekToTheBeginningOrTheEnd_TakesTheLogStartOrTheHighWatermark()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0), P("t", 1)]);

        Assert.Equal(RestConsumerError.None, consumer.BeginSeekTo([P("t", 0), P("t", 1)]));
        consumer.SeekTo(P("t", 0), Bounds, beginning: true);
        consumer.SeekTo(P("t", 1), Bounds, beginning: false);

        Assert.Equal(new Dictionary<TopicPartition, long> { [P("t", 0)] = 10, [P("t", 1)] = 50 }, consumer.Positions);
    }

    [Fact]
    public void ASeekToTheBeginning_OfAPartitionNotAssigned_IsAnIllegalState()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0)]);

        Assert.Equal(RestConsumerError.IllegalState, consumer.BeginSeekTo([P("t", 0), P("u", 0)]));
    }

    [Fact]
    public void ASeekToTheEnd_OfAPartitionRevokedWhileItsBoundsWereLookedUp_SetsNoPosition()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0)]);
        Assert.Equal(RestConsumerError.None, consumer.BeginSeekTo([P("t", 0)]));

        consumer.Assign([P("t", 1)]);
        consumer.SeekTo(P("t", 0), Bounds, beginning: false);

        Assert.Empty(consumer.Positions);
    }

    [Fact]
    public void AFirstPosition_IsTheGroupsCommittedOffset()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0), P("t", 1)]);
        Assert.Equal([P("t", 0), P("t", 1)], consumer.WithoutPosition(consumer.Assignment));

        Assert.True(consumer.StartAtCommitted(P("t", 0), 42));

        Assert.Equal(42, consumer.Positions[P("t", 0)]);
        Assert.Equal([P("t", 1)], consumer.WithoutPosition(consumer.Assignment));
    }

    [Theory]
    [InlineData("earliest", 10)]
    [InlineData("latest", 50)]
    [InlineData("none", 50)]
    public void AFirstPosition_WithoutACommittedOffset_IsWhereAutoOffsetResetSays(string reset, long expected)
    {
        var consumer = Created(reset: reset);
        consumer.Assign([P("t", 0)]);

        Assert.False(consumer.StartAtCommitted(P("t", 0), -1));
        Assert.Empty(consumer.Positions);
        consumer.StartAtReset(P("t", 0), Bounds);

        Assert.Equal(expected, consumer.Positions[P("t", 0)]);
    }

    [Fact]
    public void AFirstPosition_DoesNotUndoASeekMadeWhileTheCommittedOffsetWasLookedUp()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0), P("t", 1)]);

        consumer.Seek([At("t", 0, 3), At("t", 1, 4)]);
        consumer.StartAtCommitted(P("t", 0), 42);
        consumer.StartAtReset(P("t", 1), Bounds);

        Assert.Equal(new Dictionary<TopicPartition, long> { [P("t", 0)] = 3, [P("t", 1)] = 4 }, consumer.Positions);
    }

    [Fact]
    public void AFirstPosition_ForAPartitionRevokedMeanwhile_IsNotKept()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0)]);
        consumer.Assign([P("t", 1)]);

        Assert.True(consumer.StartAtCommitted(P("t", 0), 42));
        consumer.StartAtReset(P("t", 0), Bounds);

        Assert.Empty(consumer.Positions);
    }

    [Fact]
    public void ARebalance_KeepsThePositionsOfPartitionsTheMemberKeeps_AndDropsTheOthers()
    {
        var consumer = Created();
        consumer.Subscribe(["t"], null);
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, new Dictionary<string, int> { ["t"] = 2 }));
        consumer.Seek([At("t", 0, 5), At("t", 1, 6)]);

        // A second member joins: the group rebalances and this member keeps partition 0 only.
        var join = ExpectJoin(consumer, consumer.HeartbeatAnswered(beat, ErrorCode.RebalanceInProgress));
        var sync = Assert.IsType<MembershipStep.Sync>(consumer.Joined(join, Follower("m1", 2)));
        consumer.Synced(sync, Synced(ErrorCode.None, Assignment(P("t", 0))));

        Assert.Equal([P("t", 0)], consumer.Assignment);
        Assert.Equal(new Dictionary<TopicPartition, long> { [P("t", 0)] = 5 }, consumer.Positions);
    }
}
