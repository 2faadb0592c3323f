using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Messages;
using Tributary.Grains.RestConsumers;
using static Tributary.Tests.RestConsumers.Consumers;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Tests.RestConsumers;

public sealed class MembershipTests
{
    private static readonly Dictionary<string, int> OneTopic = new() { ["t"] = 2 };

    private static RestConsumer Subscribed(bool autoCommit = false, params string[] topics)
    {
        var consumer = Created(autoCommit: autoCommit);
        consumer.Subscribe(topics.Length == 0 ? ["t"] : topics, null);
        return consumer;
    }

    [Fact]
    public void ANewMember_JoinsFirstForItsMemberId_ThenWithIt()
    {
        var consumer = Subscribed();

        var first = ExpectJoin(consumer, consumer.StartMembership());
        Assert.Equal("", first.Request.MemberId);
        var second = ExpectJoin(consumer, consumer.Joined(first, MemberIdRequired("m1")));

        Assert.Equal("m1", second.Request.MemberId);
        Assert.Equal("m1", consumer.MemberId);
    }

    [Fact]
    public void AJoin_OffersTheSubscriptionForTheRangeAssignor_WithTheSessionTimeout()
    {
        var consumer = Subscribed(topics: ["b", "a"]);

        var join = ExpectJoin(consumer, consumer.StartMembership()).Request;

        Assert.Equal(("consumer", "range", 10_000, 10_000), (join.ProtocolType, Assert.Single(join.Protocols).Name, join.SessionTimeoutMs, join.RebalanceTimeoutMs));
        Assert.Equal(["a", "b"], ConsumerProtocol.DecodeSubscriptionTopics(join.Subscription()));
        Assert.True(join.RequireKnownMemberId);
        Assert.False(join.SupportsSkipAssignment);
    }

    [Fact]
    public void TheLeader_AssignsTheMembersTopicsWithTheRangeAssignor()
    {
        var consumer = Subscribed();
        var join = ExpectJoin(consumer, consumer.Joined(ExpectJoin(consumer, consumer.StartMembership()), MemberIdRequired("a")));

        var describe = Assert.IsType<MembershipStep.DescribeTopics>(consumer.Joined(join, Leader(4, "a", [Member("a", "t"), Member("b", "t", "u")])));
        Assert.Equal(["t", "u"], describe.Topics);
        var sync = Assert.IsType<MembershipStep.Sync>(consumer.Described(describe, new Dictionary<string, int> { ["t"] = 3, ["u"] = 1 })).Request;

        Assert.Equal(("a", 4, "consumer", "range"), (sync.MemberId, sync.GenerationId, sync.ProtocolType, sync.ProtocolName));
        Assert.Equal([("t", 0), ("t", 1)], ConsumerProtocol.DecodeAssignment(sync.Assignments["a"]));
        Assert.Equal([("t", 2), ("u", 0)], ConsumerProtocol.DecodeAssignment(sync.Assignments["b"]));
    }

    [Fact]
    public void AFollower_SyncsWithoutAssignments_AndTakesWhatTheLeaderGaveIt()
    {
        var consumer = Subscribed();
        var join = ExpectJoin(consumer, consumer.StartMembership());

        var sync = Assert.IsType<MembershipStep.Sync>(consumer.Joined(join, Follower("f", 2)));
        Assert.Empty(sync.Request.Assignments);
        var wait = Assert.IsType<MembershipStep.Wait>(consumer.Synced(sync, Synced(ErrorCode.None, Assignment(P("t", 1)))));

        Assert.Equal([P("t", 1)], consumer.Assignment);
        Assert.Equal(("f", 2), (consumer.MemberId, consumer.GenerationId));
        Assert.Equal(Options.HeartbeatInterval, wait.Delay);
    }

    [Fact]
    public void AMember_HeartbeatsEveryInterval_WithItsIdAndGeneration_WhileTheGroupIsStable()
    {
        var consumer = Subscribed();
        var wait = JoinAlone(consumer, OneTopic, "m1", generation: 7);

        for (var i = 0; i < 3; i++)
        {
            var beat = NextHeartbeat(consumer, wait);
            Assert.Equal(("m1", 7), (beat.MemberId, beat.GenerationId));
            wait = Assert.IsType<MembershipStep.Wait>(consumer.HeartbeatAnswered(beat, ErrorCode.None));
            Assert.Equal(Options.HeartbeatInterval, wait.Delay);
        }
    }

    [Fact]
    public void AJoinError_IsRetriedAfterTheBackoff()
    {
        var consumer = Subscribed();
        var join = ExpectJoin(consumer, consumer.StartMembership());

        var wait = Assert.IsType<MembershipStep.Wait>(consumer.Joined(join, JoinFailed(ErrorCode.CoordinatorNotAvailable)));
        Assert.Equal(Options.JoinRetryBackoff, wait.Delay);

        Assert.Equal("", ExpectJoin(consumer, consumer.Waited(wait)).Request.MemberId);
    }

    [Fact]
    public void AJoinAnsweredUnknownMemberId_JoinsAgainAsANewMember()
    {
        var consumer = Subscribed();
        var join = ExpectJoin(consumer, consumer.Joined(ExpectJoin(consumer, consumer.StartMembership()), MemberIdRequired("m1")));

        Assert.Equal("", ExpectJoin(consumer, consumer.Joined(join, JoinFailed(ErrorCode.UnknownMemberId))).Request.MemberId);
    }

    [Fact]
    public void ASyncError_JoinsAgainAtOnce_WithTheSameMemberId()
    {
        var consumer = Subscribed();
        var sync = Assert.IsType<MembershipStep.Sync>(consumer.Joined(ExpectJoin(consumer, consumer.StartMembership()), Follower("f", 2)));

        var join = ExpectJoin(consumer, consumer.Synced(sync, Synced(ErrorCode.RebalanceInProgress, [])));

        Assert.Equal("f", join.Request.MemberId);
        Assert.Empty(consumer.Assignment);
    }

    [Fact]
    public void AHeartbeatAnsweredRebalanceInProgress_JoinsAgain_KeepingItsMemberIdAndPartitionsUntilTheSync()
    {
        var consumer = Subscribed();
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, OneTopic, "m1"));

        var join = ExpectJoin(consumer, consumer.HeartbeatAnswered(beat, ErrorCode.RebalanceInProgress));

        Assert.Equal("m1", join.Request.MemberId);
        Assert.Equal([P("t", 0), P("t", 1)], consumer.Assignment);
    }

    [Fact]
    public void WithAutoCommit_ARebalance_CommitsThePositionsBeforeJoiningAgain()
    {
        var consumer = Subscribed(autoCommit: true);
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, OneTopic, "m1", generation: 2));
        consumer.Seek([At("t", 0, 12)]);

        var commit = Assert.IsType<MembershipStep.Commit>(consumer.HeartbeatAnswered(beat, ErrorCode.RebalanceInProgress));
        Assert.Equal(("m1", 2), (commit.Request.MemberId, commit.Request.GenerationId));
        Assert.Equal([At("t", 0, 12)], commit.Request.Offsets);

        Assert.Equal("m1", ExpectJoin(consumer, consumer.RebalanceCommitted(commit)).Request.MemberId);
    }

    [Fact]
    public void WithAutoCommit_ARebalanceWhileAPollIsBeingAnswered_CommitsWhereThePollBegan_AndAfterItsAnswer_PastItsRecords()
    {
        var consumer = Subscribed(autoCommit: true);
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, OneTopic, "m1", generation: 2));
        consumer.Seek([At("t", 0, 12), At("t", 1, 40)]);
        consumer.AutoCommitBeforePoll();

        var plan = consumer.PlanFetch(consumer.Assignment, 1000);
        consumer.ApplyFetched(plan, [Fetched(plan.Partitions[0], 3)]);

        // The answer may yet stop at the first of these three records (one that cannot be read): the application has none.
        var during = Assert.IsType<MembershipStep.Commit>(consumer.HeartbeatAnswered(beat, ErrorCode.RebalanceInProgress));
        Assert.Equal([At("t", 0, 12), At("t", 1, 40)], during.Request.Offsets);
        ExpectJoin(consumer, consumer.RebalanceCommitted(during));

        consumer.Answered();
        Assert.Equal([At("t", 0, 15), At("t", 1, 40)], consumer.CommitOnClose()!.Offsets);
    }

    [Fact]
    public void WithAutoCommit_AnInstanceClosedWhileAPollIsBeingAnswered_CommitsWhereThePollBegan_UnlessItMovedSince()
    {
        var consumer = Subscribed(autoCommit: true);
        NextHeartbeat(consumer, JoinAlone(consumer, OneTopic, "m1", generation: 2));
        consumer.Seek([At("t", 0, 12), At("t", 1, 40)]);
        consumer.AutoCommitBeforePoll();
        var plan = consumer.PlanFetch(consumer.Assignment, 1000);
        consumer.ApplyFetched(plan, [Fetched(plan.Partitions[0], 3), Fetched(plan.Partitions[1], 2)]);
        Assert.Equal([At("t", 0, 12), At("t", 1, 40)], consumer.CommitOnClose()!.Offsets);

        // The answer stopped at partition 1's second record: the instance moved back to it, and the rest is answered.
        consumer.Seek([At("t", 1, 41)]);
        Assert.Equal([At("t", 0, 12), At("t", 1, 41)], consumer.CommitOnClose()!.Offsets);

        // A commit the application asks for, and the next poll's, take every position.
        Assert.Equal([At("t", 0, 15), At("t", 1, 41)], consumer.Commit(null).Commit.Offsets);
        Assert.Equal([At("t", 0, 15), At("t", 1, 41)], consumer.AutoCommitBeforePoll()!.Offsets);
    }

    private static FetchedPartition Fetched(PartitionFetch fetch, int records) =>
        new(fetch, Enumerable.Range(0, records).Select(i => new ConsumedRecord(fetch.Partition, fetch.FetchOffset + i, 0, null, new byte[10])).ToList());

    [Fact]
    public void WithAutoCommit_ARebalanceWithoutPositions_JoinsAgainWithoutCommitting()
    {
        var consumer = Subscribed(autoCommit: true);
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, OneTopic));

        ExpectJoin(consumer, consumer.HeartbeatAnswered(beat, ErrorCode.RebalanceInProgress));
    }

    [Fact]
    public void AHeartbeatAnsweredUnknownMemberId_JoinsAgainAsANewMember()
    {
        var consumer = Subscribed();
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, OneTopic, "m1"));

        var join = ExpectJoin(consumer, consumer.HeartbeatAnswered(beat, ErrorCode.UnknownMemberId));

        Assert.Equal("", join.Request.MemberId);
    }

    [Fact]
    public void AHeartbeatAnsweredIllegalGeneration_JoinsAgainWithTheSameMemberId()
    {
        var consumer = Subscribed(autoCommit: true);
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, OneTopic, "m1"));
        consumer.Seek([At("t", 0, 1)]);

        var join = ExpectJoin(consumer, consumer.HeartbeatAnswered(beat, ErrorCode.IllegalGeneration));

        Assert.Equal("m1", join.Request.MemberId);
    }

    [Fact]
    public void APatternSubscription_MatchesEveryTopicAtEachJoin()
    {
        var consumer = Created();
        consumer.Subscribe(null, "log-.*");

        var list = Assert.IsType<MembershipStep.ListTopics>(consumer.StartMembership());
        var join = Assert.IsType<MembershipStep.Join>(consumer.TopicsListed(list, ["log-a", "metrics"]));
        Assert.Equal(["log-a"], ConsumerProtocol.DecodeSubscriptionTopics(join.Request.Subscription()));

        list = Assert.IsType<MembershipStep.ListTopics>(consumer.Joined(join, MemberIdRequired("m1")));
        join = Assert.IsType<MembershipStep.Join>(consumer.TopicsListed(list, ["log-a", "log-b", "metrics"]));
        Assert.Equal(["log-a", "log-b"], ConsumerProtocol.DecodeSubscriptionTopics(join.Request.Subscription()));
    }

    [Fact]
    public void APatternSubscription_LooksForNewTopicsEveryFifthHeartbeat_AndJoinsAgainWhenTheyChanged()
    {
        var consumer = Created();
        consumer.Subscribe(null, "log-.*");
        var partitions = new Dictionary<string, int> { ["log-a"] = 1 };
        MembershipStep step = JoinAlone(consumer, partitions, first: consumer.StartMembership());

        // Four beats, then the fifth looks at the topics: unchanged, the heartbeats go on.
        for (var i = 0; i < 4; i++)
        {
            step = Assert.IsType<MembershipStep.Wait>(consumer.HeartbeatAnswered(NextHeartbeat(consumer, step), ErrorCode.None));
        }

        var list = Assert.IsType<MembershipStep.ListTopics>(consumer.HeartbeatAnswered(NextHeartbeat(consumer, step), ErrorCode.None));
        step = Assert.IsType<MembershipStep.Wait>(consumer.TopicsListed(list, ["log-a", "other"]));

        // Five beats later a new matching topic is there: a new join subscribes to it.
        for (var i = 0; i < 4; i++)
        {
            step = Assert.IsType<MembershipStep.Wait>(consumer.HeartbeatAnswered(NextHeartbeat(consumer, step), ErrorCode.None));
        }

        list = Assert.IsType<MembershipStep.ListTopics>(consumer.HeartbeatAnswered(NextHeartbeat(consumer, step), ErrorCode.None));
        var join = Assert.IsType<MembershipStep.Join>(consumer.TopicsListed(list, ["log-a", "log-b"]));
        Assert.Equal(["log-a", "log-b"], ConsumerProtocol.DecodeSubscriptionTopics(join.Request.Subscription()));
        Assert.Equal("m1", join.Request.MemberId);
    }

    [Fact]
    public void ATopicsSubscription_NeverLooksForNewTopics()
    {
        var consumer = Subscribed();
        MembershipStep step = JoinAlone(consumer, OneTopic);

        for (var i = 0; i < 12; i++)
        {
            step = Assert.IsType<MembershipStep.Wait>(consumer.HeartbeatAnswered(NextHeartbeat(consumer, step), ErrorCode.None));
        }
    }

    [Fact]
    public void StoppingTheMembership_GivesTheMemberIdToLeaveWith_AndDropsTheGroupsPartitionsAndPositions()
    {
        var consumer = Subscribed();
        JoinAlone(consumer, OneTopic, "m1", generation: 3);
        consumer.Seek([At("t", 0, 4)]);

        Assert.Equal("m1", consumer.StopMembership());

        Assert.Equal(("", -1), (consumer.MemberId, consumer.GenerationId));
        Assert.Empty(consumer.Assignment);
        Assert.Empty(consumer.Positions);
        Assert.Null(consumer.StopMembership());
    }

    [Fact]
    public void AStepOfAMembershipStoppedOrRestartedSince_IsStale_AndChangesNothing()
    {
        var consumer = Subscribed();
        var join = ExpectJoin(consumer, consumer.StartMembership());
        consumer.StopMembership();

        Assert.Null(consumer.Joined(join, MemberIdRequired("stale")));
        Assert.Equal("", consumer.MemberId);

        var restarted = ExpectJoin(consumer, consumer.StartMembership());
        Assert.Null(consumer.Joined(join, MemberIdRequired("stale")));
        Assert.NotNull(consumer.Joined(restarted, MemberIdRequired("m2")));
        Assert.Equal("m2", consumer.MemberId);
    }

    [Fact]
    public void AStepAnsweredTwice_IsStaleTheSecondTime()
    {
        var consumer = Subscribed();
        var wait = JoinAlone(consumer, OneTopic);

        Assert.NotNull(consumer.Waited(wait));
        Assert.Null(consumer.Waited(wait));
    }
}
