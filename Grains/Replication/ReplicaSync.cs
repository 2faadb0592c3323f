using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>Where one broker's replica of a partition stands, as a rolling restart asks before it stops the next broker.</summary>
public enum ReplicaSyncState
{
    /// <summary>The broker holds no replica that counts: none at all, or one a reassignment is still adding.</summary>
    NotHeld,

    /// <summary>In the ISR, and leading, or following with its log at the leader's high watermark.</summary>
    InSync,

    /// <summary>Not in the ISR: stopping another replica now would leave the partition with fewer copies.</summary>
    OutOfIsr,

    /// <summary>In the ISR as the controller has it, yet this broker's follower is not at the leader's high watermark (or not fetching yet).</summary>
    CatchingUp,
}

/// <summary>
/// Whether a broker's replicas are in sync: what Kafka operators check (no under-replicated partition) before they
/// restart the next broker, asked of one broker. A replica a reassignment adds does not count: a move, throttled
/// perhaps for hours, must not hold a restart up, and the partition has its full set of copies without it. The local
/// follower's state is asked as well, so that a registration read before the controller has fenced a broker that has
/// just come back (it still lists it in the ISR) does not pass for in sync.
/// </summary>
public static class ReplicaSync
{
    /// <param name="followerCaughtUp">Whether this broker's follower of the partition reached the leader's high watermark
    /// at its last fetch; null when it does not follow the partition.</param>
    public static ReplicaSyncState Of(PartitionRegistration registration, int brokerId, bool? followerCaughtUp)
    {
        if (!registration.Replicas.Contains(brokerId) || registration.AddingReplicas.Contains(brokerId))
        {
            return ReplicaSyncState.NotHeld;
        }

        if (!registration.Isr.Contains(brokerId))
        {
            return ReplicaSyncState.OutOfIsr;
        }

        return registration.Leader == brokerId || followerCaughtUp == true ? ReplicaSyncState.InSync : ReplicaSyncState.CatchingUp;
    }
}
