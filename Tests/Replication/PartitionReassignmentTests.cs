using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Tests.Replication;

public sealed class PartitionReassignmentTests
{
    private static Func<int, bool> Live(params int[] brokers) => brokers.Contains;

    [Fact]
    public void Starting_AddsTheTargetsNewReplicas_AndKeepsTheDroppedOnes_UntilTheNewOnesAreInSync()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);

        var change = PartitionReassignment.Start(registration, [4, 2, 3], Live(1, 2, 3, 4));

        Assert.Equal(ErrorCode.None, change.Error);
        var started = change.Registration;
        Assert.Equal([4, 2, 3, 1], started.Replicas);
        Assert.Equal([4], started.AddingReplicas);
        Assert.Equal([1], started.RemovingReplicas);
        Assert.Equal([1, 2, 3], started.Isr);
        Assert.Equal((1, 0, 1), (started.Leader, started.LeaderEpoch, started.PartitionEpoch));
        Assert.Null(PartitionReassignment.Completed(started, Live(1, 2, 3, 4)));
    }

    [Fact]
    public void OnceTheAddedReplicaIsInSync_TheReassignmentCompletes_AndARemovedLeaderHandsOverAtANewEpoch()
    {
        var started = PartitionReassignment.Start(PartitionRegistration.New([1, 2, 3]), [4, 2, 3], Live(1, 2, 3, 4)).Registration;
        var grown = PartitionController.AlterPartition(started, new AlterPartitionRequest(1, 0, started.PartitionEpoch, [1, 2, 3, 4]), Live(1, 2, 3, 4));

        var change = PartitionReassignment.TryComplete(started, grown, Live(1, 2, 3, 4));

        var done = change.Registration;
        Assert.False(done.IsReassigning);
        Assert.Equal([4, 2, 3], done.Replicas);
        Assert.Equal([2, 3, 4], done.Isr.Order());
        Assert.Equal(4, done.Leader);
        Assert.Equal(1, done.LeaderEpoch);
        Assert.Equal(started.PartitionEpoch + 1, done.PartitionEpoch);
    }

    [Fact]
    public void ALeaderThatStays_KeepsLeading_AtItsEpoch()
    {
        var started = PartitionReassignment.Start(PartitionRegistration.New([1, 2, 3]), [1, 2, 4], Live(1, 2, 3, 4)).Registration;
        var inSync = started with { Isr = [1, 2, 3, 4] };

        var done = PartitionReassignment.Completed(inSync, Live(1, 2, 3, 4))!;

        Assert.Equal([1, 2, 4], done.Replicas);
        Assert.Equal((1, 0), (done.Leader, done.LeaderEpoch));
        Assert.Equal([1, 2, 4], done.Isr);
    }

    [Fact]
    public void ATargetTheIsrAlreadyCovers_CompletesAtOnce()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);

        var dropped = PartitionReassignment.Start(registration, [2, 3], Live(1, 2, 3)).Registration;
        var reordered = PartitionReassignment.Start(registration, [3, 1, 2], Live(1, 2, 3)).Registration;

        Assert.Equal([2, 3], dropped.Replicas);
        Assert.Equal([2, 3], dropped.Isr);
        Assert.Equal((2, 1, 1), (dropped.Leader, dropped.LeaderEpoch, dropped.PartitionEpoch));
        Assert.False(dropped.IsReassigning);
        Assert.Equal([3, 1, 2], reordered.Replicas);
        Assert.Equal((1, 0), (reordered.Leader, reordered.LeaderEpoch));
        Assert.Same(registration, PartitionReassignment.Start(registration, [1, 2, 3], Live(1, 2, 3)).Registration);
    }

    [Fact]
    public void ANewTarget_ReplacesTheOneInProgress_AndDropsReplicasItWasAdding()
    {
        var first = PartitionReassignment.Start(PartitionRegistration.New([1, 2]), [3, 4], Live(1, 2, 3, 4)).Registration;

        var second = PartitionReassignment.Start(first, [1, 5], Live(1, 2, 3, 4, 5)).Registration;

        Assert.Equal([1, 5, 3, 4, 2], second.Replicas);
        Assert.Equal([5], second.AddingReplicas);
        Assert.Equal([3, 4, 2], second.RemovingReplicas);
        Assert.Equal(first.PartitionEpoch + 1, second.PartitionEpoch);
    }

    [Fact]
    public void Cancelling_DropsTheAddedReplicas_AndKeepsTheOriginalOnes()
    {
        var started = PartitionReassignment.Start(PartitionRegistration.New([1, 2, 3]), [4, 5, 6], Live(1, 2, 3, 4, 5, 6)).Registration;
        var halfway = started with { Isr = [1, 2, 3, 4], PartitionEpoch = started.PartitionEpoch + 1 };

        var (change, message) = PartitionReassignment.Cancel(halfway, Live(1, 2, 3, 4, 5, 6));

        Assert.Equal(ErrorCode.None, change.Error);
        Assert.Null(message);
        Assert.Equal([1, 2, 3], change.Registration.Replicas);
        Assert.Equal([1, 2, 3], change.Registration.Isr);
        Assert.False(change.Registration.IsReassigning);
        Assert.Equal(halfway.PartitionEpoch + 1, change.Registration.PartitionEpoch);
    }

    [Fact]
    public void Cancelling_WithoutAReassignment_IsNoReassignmentInProgress_AndOneThatWouldLoseData_IsRefused()
    {
        var registration = PartitionRegistration.New([1, 2]);
        Assert.Equal(ErrorCode.NoReassignmentInProgress, PartitionReassignment.Cancel(registration, Live(1, 2)).Change.Error);

        // The original replicas fell out of the ISR: only the added one has every record.
        var started = PartitionReassignment.Start(registration, [3], Live(1, 2, 3)).Registration with { Isr = [3], Leader = 3, LeaderEpoch = 1 };
        var (refused, message) = PartitionReassignment.Cancel(started, Live(1, 2, 3));

        Assert.Equal(ErrorCode.InvalidReplicaAssignment, refused.Error);
        Assert.Contains("unclean leader election", message);
        Assert.Same(started, refused.Registration);
    }

    [Fact]
    public void AReassignmentWhoseTargetHasNoLiveInSyncReplica_WaitsInsteadOfLeavingThePartitionLeaderless()
    {
        var started = PartitionReassignment.Start(PartitionRegistration.New([1, 2]), [3], Live(1, 2, 3)).Registration with { Isr = [1, 2, 3] };

        Assert.Null(PartitionReassignment.Completed(started, Live(1, 2)));
        Assert.NotNull(PartitionReassignment.Completed(started, Live(1, 2, 3)));
    }
}
