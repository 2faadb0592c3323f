using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Tests.Replication;

public sealed class IsrTrackerTests
{
    private const long LagMaxMs = 30_000;

    private static IsrTracker Leader(long endOffset = 100, long highWatermark = 100) =>
        new(1, PartitionRegistration.New([1, 2, 3]), endOffset, highWatermark, nowMs: 0);

    [Fact]
    public void TheHighWatermark_IsTheSmallestLogEndInTheIsr_AndNeverGoesBack()
    {
        var tracker = Leader();
        tracker.OnFollowerFetch(2, 150, leaderEndOffset: 200, nowMs: 10);
        Assert.Equal(100, tracker.HighWatermark);

        tracker.OnFollowerFetch(3, 120, leaderEndOffset: 200, nowMs: 10);
        Assert.Equal(120, tracker.HighWatermark);

        tracker.OnFollowerFetch(3, 200, leaderEndOffset: 200, nowMs: 20);
        Assert.Equal(150, tracker.HighWatermark);

        tracker.OnFollowerFetch(2, 90, leaderEndOffset: 200, nowMs: 30);
        Assert.Equal(150, tracker.HighWatermark);
    }

    [Fact]
    public void AFollowerNotCaughtUpForTheLagTime_FallsOutOfSync_ButOneThatKeepsUpWithEachFetchDoesNot()
    {
        var tracker = Leader();

        // Follower 2 is always one fetch behind, but always has what the leader had at its previous fetch.
        for (long t = 0, end = 100; t <= 60_000; t += 1_000, end += 10)
        {
            tracker.OnFollowerFetch(2, end - 10, end, t);
        }

        Assert.DoesNotContain(2, tracker.OutOfSyncFollowers(leaderEndOffset: 700, nowMs: 60_000, LagMaxMs));
        Assert.Equal([3], tracker.OutOfSyncFollowers(leaderEndOffset: 700, nowMs: 60_000, LagMaxMs));
        Assert.Empty(tracker.OutOfSyncFollowers(leaderEndOffset: 700, nowMs: 29_000, LagMaxMs));
    }

    [Fact]
    public void AShrunkIsr_RaisesTheHighWatermarkPastTheSlowFollower()
    {
        var tracker = Leader();
        tracker.OnFollowerFetch(2, 200, 200, 40_000);
        Assert.Equal(100, tracker.HighWatermark);

        var shrink = tracker.ProposeIsr([1, 2]);
        var stored = PartitionController.AlterPartition(tracker.Registration, shrink, _ => true);
        Assert.Equal(ErrorCode.None, stored.Error);
        tracker.OnRegistrationChanged(stored.Registration);

        Assert.Equal(200, tracker.UpdateHighWatermark(200));
    }

    [Fact]
    public void AFollowerRejoins_OnceItReachesTheHighWatermarkAndTheLeadersEpoch()
    {
        var registration = PartitionRegistration.New([1, 2, 3]) with { Isr = [1, 2] };
        var tracker = new IsrTracker(1, registration, leaderEndOffset: 500, highWatermark: 400, nowMs: 0);

        tracker.OnFollowerFetch(3, 450, 600, 10);
        Assert.Empty(tracker.FollowersReadyToJoin());

        tracker.OnFollowerFetch(3, 500, 600, 20);
        Assert.Equal([3], tracker.FollowersReadyToJoin());
    }

    [Fact]
    public void AFollowerTheControllerDropped_MustFetchAgainBeforeItRejoins()
    {
        var tracker = Leader();
        tracker.OnFollowerFetch(2, 100, leaderEndOffset: 100, nowMs: 10);
        tracker.OnFollowerFetch(3, 100, leaderEndOffset: 100, nowMs: 10);

        // Broker 3 died and was fenced: the controller's shrink reaches the leader.
        var fenced = tracker.Registration with { Isr = [1, 2], PartitionEpoch = tracker.Registration.PartitionEpoch + 1 };
        tracker.OnRegistrationChanged(fenced);
        Assert.Empty(tracker.FollowersReadyToJoin());

        // Back, it joins on its first fetch that reaches the high watermark, not on what it reached before it died.
        tracker.OnFollowerFetch(3, 100, leaderEndOffset: 100, nowMs: 20);
        Assert.Equal([3], tracker.FollowersReadyToJoin());
    }

    [Fact]
    public void AcksAll_WaitsForTheHighWatermark_AndReportsAnIsrBelowMinInSyncReplicas()
    {
        var tracker = Leader();
        Assert.Equal((false, ErrorCode.None), tracker.AcksAllState(requiredOffset: 150, minInSyncReplicas: 2));

        tracker.OnFollowerFetch(2, 150, 150, 10);
        tracker.OnFollowerFetch(3, 150, 150, 10);
        Assert.Equal((true, ErrorCode.None), tracker.AcksAllState(150, 2));

        var alone = PartitionController.AlterPartition(tracker.Registration, tracker.ProposeIsr([1]), _ => true).Registration;
        tracker.OnRegistrationChanged(alone);
        Assert.Equal((true, ErrorCode.NotEnoughReplicasAfterAppend), tracker.AcksAllState(150, 2));
        Assert.Equal(ErrorCode.NotEnoughReplicas, tracker.CheckAcksAllAppend(2));
        Assert.Equal(ErrorCode.None, tracker.CheckAcksAllAppend(1));
    }

    [Fact]
    public void ALeaderDeposedMeanwhile_CannotTakeTheNewRegistration()
    {
        var tracker = Leader();
        var failedOver = PartitionController.FenceBroker(tracker.Registration, 1, b => b != 1).Registration;

        Assert.Throws<InvalidOperationException>(() => tracker.OnRegistrationChanged(failedOver));
    }

    [Fact]
    public void AReassignment_GivesTheLeaderNewFollowersToTrack_AndForgetsRemovedOnes()
    {
        var tracker = Leader();
        var reassigned = tracker.Registration with { Replicas = [1, 2, 3, 4], AddingReplicas = [4], PartitionEpoch = 1 };

        tracker.OnRegistrationChanged(reassigned);

        Assert.True(tracker.IsFollower(4));
        Assert.Empty(tracker.FollowersReadyToJoin());
        tracker.OnFollowerFetch(4, 100, leaderEndOffset: 100, nowMs: 10);
        Assert.Equal([4], tracker.FollowersReadyToJoin());

        tracker.OnRegistrationChanged(reassigned with { Replicas = [1, 2, 4], Isr = [1, 2, 4], AddingReplicas = [], PartitionEpoch = 2 });
        Assert.False(tracker.IsFollower(3));
    }

    [Fact]
    public void AFollowerProposedToJoin_HoldsTheHighWatermarkBack_UntilTheControllerAnswers()
    {
        var registration = PartitionRegistration.New([1, 2, 3]) with { Isr = [1, 2] };
        var tracker = new IsrTracker(1, registration, leaderEndOffset: 100, highWatermark: 100, nowMs: 0);
        tracker.OnFollowerFetch(3, 100, leaderEndOffset: 100, nowMs: 10);
        var request = tracker.ProposeIsr([1, 2, 3]);

        // Records acknowledged by broker 2 alone while the proposal travels would be missing on 3 should it lead next.
        tracker.OnFollowerFetch(2, 150, leaderEndOffset: 150, nowMs: 20);
        Assert.Equal(100, tracker.HighWatermark);
        tracker.OnFollowerFetch(3, 150, leaderEndOffset: 150, nowMs: 30);
        Assert.Equal(150, tracker.HighWatermark);

        tracker.OnRegistrationChanged(PartitionController.AlterPartition(tracker.Registration, request, _ => true).Registration);
        Assert.Equal([1, 2, 3], tracker.Registration.Isr);

        // A proposal withdrawn (the follower fell behind again) holds nothing back.
        var shrunk = tracker.Registration with { Isr = [1, 2], PartitionEpoch = tracker.Registration.PartitionEpoch + 1 };
        tracker.OnRegistrationChanged(shrunk);
        tracker.ProposeIsr([1, 2, 3]);
        tracker.ClearProposal();
        tracker.OnFollowerFetch(2, 200, leaderEndOffset: 200, nowMs: 40);
        Assert.Equal(200, tracker.HighWatermark);
    }
}
