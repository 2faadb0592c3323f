using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Tests.Replication;

/// <summary>The rolling-restart gate: which of a broker's replicas count as in sync.</summary>
public sealed class ReplicaSyncTests
{
    private static readonly PartitionRegistration OnThree = PartitionRegistration.New([1, 2, 3]);

    [Fact]
    public void TheLeader_IsInSync_WhileInTheIsr()
    {
        Assert.Equal(ReplicaSyncState.InSync, ReplicaSync.Of(OnThree, 1, followerCaughtUp: null));
    }

    [Fact]
    public void AFollower_IsInSync_OnlyWhenItsLogIsAtTheLeadersHighWatermark()
    {
        Assert.Equal(ReplicaSyncState.InSync, ReplicaSync.Of(OnThree, 2, followerCaughtUp: true));
        Assert.Equal(ReplicaSyncState.CatchingUp, ReplicaSync.Of(OnThree, 2, followerCaughtUp: false));

        // Listed in the ISR, yet not following here: a registration read before the controller fenced a broker back from a restart.
        Assert.Equal(ReplicaSyncState.CatchingUp, ReplicaSync.Of(OnThree, 2, followerCaughtUp: null));
    }

    [Fact]
    public void AReplicaOutOfTheIsr_IsNotInSync_WhateverItsLogSays()
    {
        var shrunk = OnThree with { Isr = [1, 2], PartitionEpoch = 1 };
        Assert.Equal(ReplicaSyncState.OutOfIsr, ReplicaSync.Of(shrunk, 3, followerCaughtUp: true));
    }

    [Fact]
    public void AReplicaAReassignmentAdds_OrNoReplicaAtAll_DoesNotCount()
    {
        // Moving to [1, 2, 4]: broker 4 catches up (perhaps throttled for hours), which must not hold a restart up.
        var moving = new PartitionRegistration([1, 2, 4, 3], [1, 2, 3], 1, 0, 1) { AddingReplicas = [4], RemovingReplicas = [3] };
        Assert.Equal(ReplicaSyncState.NotHeld, ReplicaSync.Of(moving, 4, followerCaughtUp: false));
        Assert.Equal(ReplicaSyncState.NotHeld, ReplicaSync.Of(OnThree, 5, followerCaughtUp: null));

        // A replica being removed is still a copy until the move completes.
        Assert.Equal(ReplicaSyncState.InSync, ReplicaSync.Of(moving, 3, followerCaughtUp: true));
    }

    [Fact]
    public void AnOfflinePartition_IsNotInSync_UntilALeaderIsElected()
    {
        var offline = OnThree with { Isr = [2], Leader = PartitionRegistration.NoLeader, LeaderEpoch = 1, PartitionEpoch = 1 };
        Assert.Equal(ReplicaSyncState.CatchingUp, ReplicaSync.Of(offline, 2, followerCaughtUp: null));
    }
}
