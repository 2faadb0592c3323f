using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Tests.Replication;

/// <summary>The controller's rules for an administrator's ElectLeaders: PREFERRED and UNCLEAN elections.</summary>
public sealed class LeaderElectionTests
{
    private static Func<int, bool> Live(params int[] brokers) => brokers.Contains;

    /// <summary>Broker 1, the preferred replica, came back in sync after broker 2 took over.</summary>
    private static PartitionRegistration LedByTheSecondReplica() =>
        new([1, 2, 3], [2, 3, 1], Leader: 2, LeaderEpoch: 1, PartitionEpoch: 3);

    [Fact]
    public void Preferred_MakesTheFirstReplicaLeader_AtANewLeaderEpoch_KeepingTheIsr()
    {
        var change = PartitionController.ElectPreferred(LedByTheSecondReplica(), Live(1, 2, 3));

        Assert.Equal(ErrorCode.None, change.Error);
        Assert.Equal((1, 2, 4), (change.Registration.Leader, change.Registration.LeaderEpoch, change.Registration.PartitionEpoch));
        Assert.Equal([2, 3, 1], change.Registration.Isr);
    }

    [Fact]
    public void Preferred_WhenTheFirstReplicaLeads_IsNotNeeded_AndChangesNothing()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);

        var change = PartitionController.ElectPreferred(registration, Live(1, 2, 3));

        Assert.Equal(ErrorCode.ElectionNotNeeded, change.Error);
        Assert.Same(registration, change.Registration);
    }

    [Fact]
    public void Preferred_WhenTheFirstReplicaIsOutOfTheIsr_IsNotAvailable()
    {
        var registration = LedByTheSecondReplica() with { Isr = [2, 3] };

        var change = PartitionController.ElectPreferred(registration, Live(1, 2, 3));

        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, change.Error);
        Assert.Same(registration, change.Registration);
    }

    [Fact]
    public void Preferred_WhenTheFirstReplicaIsDead_IsNotAvailable()
    {
        var registration = LedByTheSecondReplica();

        var change = PartitionController.ElectPreferred(registration, Live(2, 3));

        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, change.Error);
        Assert.Same(registration, change.Registration);
    }

    [Fact]
    public void Unclean_WithALiveLeader_IsNotNeeded()
    {
        var registration = LedByTheSecondReplica();

        var change = PartitionController.ElectUnclean(registration, Live(2, 3));

        Assert.Equal(ErrorCode.ElectionNotNeeded, change.Error);
        Assert.Same(registration, change.Registration);
    }

    [Fact]
    public void Unclean_WithoutALeader_ElectsALiveReplicaOutsideTheIsr_AloneInTheIsr()
    {
        var registration = new PartitionRegistration([1, 2, 3], [1], PartitionRegistration.NoLeader, 4, 7);

        var change = PartitionController.ElectUnclean(registration, Live(3));

        Assert.Equal(ErrorCode.None, change.Error);
        Assert.Equal((3, 5, 8), (change.Registration.Leader, change.Registration.LeaderEpoch, change.Registration.PartitionEpoch));
        Assert.Equal([3], change.Registration.Isr);
    }

    [Fact]
    public void Unclean_WithNoLiveReplica_FindsNoEligibleLeader()
    {
        var registration = new PartitionRegistration([1, 2], [1], PartitionRegistration.NoLeader, 4, 7);

        var change = PartitionController.ElectUnclean(registration, Live());

        Assert.Equal(ErrorCode.EligibleLeadersNotAvailable, change.Error);
        Assert.Same(registration, change.Registration);
    }
}
