using Tributary.Grains.KafkaFormats;
using Tributary.Grains.RestConsumers;
using static Tributary.Tests.RestConsumers.Consumers;

namespace Tributary.Tests.RestConsumers;

public sealed class CommitTests
{
    private static RestConsumer Member(bool autoCommit = false, string memberId = "m1", int generation = 3)
    {
        var consumer = Created(autoCommit: autoCommit);
        consumer.Subscribe(["t"], null);
        JoinAlone(consumer, new Dictionary<string, int> { ["t"] = 2 }, memberId, generation);
        consumer.Seek([At("t", 0, 5), At("t", 1, 8)]);
        return consumer;
    }

    [Fact]
    public void ACommitWithoutOffsets_CommitsEveryPosition_AsAMemberOfItsGeneration()
    {
        var consumer = Member(memberId: "m1", generation: 3);

        var (error, commit) = consumer.Commit(null);

        Assert.Equal(RestConsumerError.None, error);
        Assert.Equal(("m1", 3), (commit.MemberId, commit.GenerationId));
        Assert.Equal([At("t", 0, 5), At("t", 1, 8)], commit.Offsets.OrderBy(o => o.Partition.Partition));
    }

    [Fact]
    public void ACommitOfGivenOffsets_CommitsThoseOffsets()
    {
        var consumer = Member();

        var (_, commit) = consumer.Commit([At("t", 1, 2)]);

        Assert.Equal([At("t", 1, 2)], commit.Offsets);
    }

    [Fact]
    public void AnInstanceAssignedByHand_CommitsAsASimpleConsumer()
    {
        var consumer = Created();
        consumer.Assign([P("t", 0)]);
        consumer.Seek([At("t", 0, 4)]);

        var (_, commit) = consumer.Commit(null);

        Assert.Equal(("", -1), (commit.MemberId, commit.GenerationId));
        Assert.Equal([At("t", 0, 4)], commit.Offsets);
    }

    [Fact]
    public void ACommitWithNothingToCommit_HasNoOffsets()
    {
        var (error, commit) = Created().Commit(null);

        Assert.Equal(RestConsumerError.None, error);
        Assert.Empty(commit.Offsets);
    }

    [Fact]
    public void ACommitsAnswer_ShowsWhatWasConsumedAndWhatWasCommitted()
    {
        var consumer = Member();
        var (_, commit) = consumer.Commit([At("t", 0, 3), At("u", 0, 9)]);

        var outcome = consumer.Committed(commit, [ErrorCode.None, ErrorCode.None]);

        Assert.Equal(RestConsumerError.None, outcome.Error);
        Assert.Equal([new CommittedPosition(P("t", 0), 5, 3), new CommittedPosition(P("u", 0), 9, 9)], outcome.Partitions);
    }

    [Fact]
    public void ACommitTheGroupRefuses_IsAKafkaErrorNamingTheFirstError()
    {
        var consumer = Member();
        var (_, commit) = consumer.Commit(null);

        var outcome = consumer.Committed(commit, [ErrorCode.None, ErrorCode.IllegalGeneration]);

        Assert.Equal((RestConsumerError.KafkaError, "Commit failed: IllegalGeneration"), (outcome.Error, outcome.Message));
        Assert.Empty(outcome.Partitions);
    }

    [Fact]
    public void WithAutoCommit_APollFirstCommitsThePositionsEarlierPollsLeft()
    {
        var member = Member(autoCommit: true, memberId: "m1", generation: 3);
        var manual = Created(autoCommit: true);
        manual.Assign([P("t", 0)]);
        manual.Seek([At("t", 0, 4)]);

        Assert.Equal(("m1", 3, 2), member.AutoCommitBeforePoll() is { } c ? (c.MemberId, c.GenerationId, c.Offsets.Count) : default);
        Assert.Equal(("", -1, 1), manual.AutoCommitBeforePoll() is { } m ? (m.MemberId, m.GenerationId, m.Offsets.Count) : default);
    }

    [Fact]
    public void WithoutAutoCommit_OrWithoutPositions_APollCommitsNothing()
    {
        Assert.Null(Member(autoCommit: false).AutoCommitBeforePoll());

        var fresh = Created(autoCommit: true);
        fresh.Assign([P("t", 0)]);
        Assert.Null(fresh.AutoCommitBeforePoll());
    }

    [Fact]
    public void WithAutoCommit_AnInstanceThatLostItsMemberId_CommitsNothingBeforeAPoll_UntilItHasJoinedAgain()
    {
        var consumer = Created(autoCommit: true);
        consumer.Subscribe(["t"], null);
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, new Dictionary<string, int> { ["t"] = 2 }));
        consumer.Seek([At("t", 0, 5)]);

        var join = ExpectJoin(consumer, consumer.HeartbeatAnswered(beat, ErrorCode.UnknownMemberId));

        Assert.Equal("", join.Request.MemberId);
        Assert.Null(consumer.AutoCommitBeforePoll());
    }

    [Fact]
    public void WithAutoCommit_ClosingCommitsThePositions_AndWithoutItNothing()
    {
        Assert.Equal(2, Member(autoCommit: true).CommitOnClose()?.Offsets.Count);
        Assert.Null(Member(autoCommit: false).CommitOnClose());
        Assert.Null(Created(autoCommit: true).CommitOnClose());
    }
}
