using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>
/// The controller's rules for moving a partition's replicas (Kafka's AlterPartitionReassignments, after KRaft's
/// PartitionReassignmentReplicas and PartitionReassignmentRevert): the target's replicas are added first, the ones
/// it drops are removed only once every added replica is in the ISR, so that the partition never has fewer in-sync
/// copies than before. Pure functions of a registration; the caller stores the result with a compare-and-set.
/// </summary>
public static class PartitionReassignment
{
    /// <summary>
    /// Starts moving the partition to <paramref name="target"/> (checked by the caller: distinct registered brokers),
    /// replacing a reassignment in progress: the replicas become the target followed by the current ones it drops,
    /// which are marked removing, and the target's new ones adding. A target the ISR already covers completes at
    /// once (a replica dropped, the order changed); a target equal to the replicas changes nothing.
    /// </summary>
    public static PartitionChange Start(PartitionRegistration current, IReadOnlyList<int> target, Func<int, bool> isLive)
    {
        var removing = current.Replicas.Where(b => !target.Contains(b)).ToList();
        var adding = target.Where(b => !current.Replicas.Contains(b)).ToList();
        if (removing.Count == 0 && adding.Count == 0 && current.Replicas.SequenceEqual(target) && !current.IsReassigning)
        {
            return new PartitionChange(current, ErrorCode.None);
        }

        var started = current with
        {
            Replicas = [.. target, .. removing],
            AddingReplicas = adding,
            RemovingReplicas = removing,
        };
        return new PartitionChange(Completed(started, isLive) ?? started, ErrorCode.None).WithEpochAfter(current);
    }

    /// <summary>
    /// Cancels the reassignment in progress (AlterPartitionReassignments with null replicas): the added replicas are
    /// dropped, the removed ones stay. NO_REASSIGNMENT_IN_PROGRESS without one; INVALID_REPLICA_ASSIGNMENT when no
    /// replica of the original set is in the ISR (reverting would need an unclean election).
    /// </summary>
    public static (PartitionChange Change, string? Message) Cancel(PartitionRegistration current, Func<int, bool> isLive)
    {
        if (!current.IsReassigning)
        {
            return (new PartitionChange(current, ErrorCode.NoReassignmentInProgress), "No partition reassignment is in progress.");
        }

        var replicas = current.Replicas.Where(b => !current.AddingReplicas.Contains(b)).ToList();
        var isr = current.Isr.Where(replicas.Contains).ToList();
        if (isr.Count == 0)
        {
            return (new PartitionChange(current, ErrorCode.InvalidReplicaAssignment),
                "Unable to revert partition assignment because it would require an unclean leader election.");
        }

        var reverted = WithLeaderFrom(current, current with { Replicas = replicas, Isr = isr, AddingReplicas = [], RemovingReplicas = [] }, isLive);
        return (new PartitionChange(reverted, ErrorCode.None).WithEpochAfter(current), null);
    }

    /// <summary>
    /// Completes the reassignment of <paramref name="current"/> if every added replica is in the ISR: the removed
    /// replicas leave the replicas and the ISR, and a removed or dead leader hands over to the first in-sync live
    /// replica of the target (a new leader epoch). Null while it cannot: an added replica is still catching up, or no
    /// live in-sync replica of the target could lead.
    /// </summary>
    public static PartitionRegistration? Completed(PartitionRegistration current, Func<int, bool> isLive)
    {
        if (!current.IsReassigning || current.AddingReplicas.Any(b => !current.Isr.Contains(b)))
        {
            return null;
        }

        var replicas = current.Replicas.Where(b => !current.RemovingReplicas.Contains(b)).ToList();
        var isr = current.Isr.Where(replicas.Contains).ToList();
        if (!isr.Any(isLive))
        {
            return null;
        }

        return WithLeaderFrom(current, current with { Replicas = replicas, Isr = isr, AddingReplicas = [], RemovingReplicas = [] }, isLive);
    }

    /// <summary>
    /// A change after the controller's other rules (an AlterPartition that grew the ISR): the reassignment completed
    /// when it can, the partition epoch raised once over <paramref name="before"/>.
    /// </summary>
    public static PartitionChange TryComplete(PartitionRegistration before, PartitionChange change, Func<int, bool> isLive) =>
        change.Error == ErrorCode.None && Completed(change.Registration, isLive) is { } completed
            ? new PartitionChange(completed, ErrorCode.None).WithEpochAfter(before)
            : change;

    /// <summary><paramref name="next"/> with a live in-sync leader: the current one if it still qualifies, else the first such replica (a new leader epoch).</summary>
    private static PartitionRegistration WithLeaderFrom(PartitionRegistration current, PartitionRegistration next, Func<int, bool> isLive)
    {
        if (next.Isr.Contains(current.Leader) && isLive(current.Leader))
        {
            return next;
        }

        var leader = next.Replicas.FirstOrDefault(b => next.Isr.Contains(b) && isLive(b), PartitionRegistration.NoLeader);
        return next with { Leader = leader, LeaderEpoch = current.LeaderEpoch + 1 };
    }

    private static PartitionChange WithEpochAfter(this PartitionChange change, PartitionRegistration before) =>
        change with { Registration = change.Registration with { PartitionEpoch = before.PartitionEpoch + 1 } };
}
