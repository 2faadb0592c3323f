using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>
/// The controller's rules for one partition, after KRaft's PartitionChangeBuilder and ReplicationControlManager:
/// electing a leader from the ISR, fencing a broker that died, and a leader's AlterPartition. Pure functions of a
/// registration and the set of live brokers; the caller stores the result with a compare-and-set.
/// <para>Kafka's guarantees follow from two rules: only an ISR member can become leader (unless unclean election is
/// allowed), and only the current leader, at the current leader and partition epochs, can change the ISR. A deposed
/// leader that is still running is thereby fenced: it cannot shrink the ISR to itself, so it can never count an
/// acks=all write as replicated once the others follow a new leader.</para>
/// </summary>
public static class PartitionController
{
    /// <summary>
    /// Makes sure the partition has a live leader: keeps a live leader in the ISR, else elects the first replica (in
    /// preference order) that is live and in the ISR; with none, and <paramref name="uncleanLeaderElection"/>, the first
    /// live replica, alone in the ISR (data it lacks is lost: Kafka's <c>unclean.leader.election.enable</c>); else no
    /// leader (LEADER_NOT_AVAILABLE), the ISR kept so that a member coming back can lead with its data.
    /// </summary>
    public static PartitionChange ElectLeader(PartitionRegistration current, Func<int, bool> isLive, bool uncleanLeaderElection = false) =>
        Change(current, current.Isr, isLive, uncleanLeaderElection);

    /// <summary>
    /// An administrator's PREFERRED election (Kafka's ElectLeaders, KIP-183): the first replica becomes leader when it is
    /// live and in the ISR (a new leader epoch; the ISR is kept, so no acknowledged record is lost);
    /// ELECTION_NOT_NEEDED when it already leads, PREFERRED_LEADER_NOT_AVAILABLE otherwise.
    /// </summary>
    public static PartitionChange ElectPreferred(PartitionRegistration current, Func<int, bool> isLive)
    {
        var preferred = current.Replicas[0];
        if (current.Leader == preferred)
        {
            return new PartitionChange(current, ErrorCode.ElectionNotNeeded);
        }

        if (!isLive(preferred) || !current.Isr.Contains(preferred))
        {
            return new PartitionChange(current, ErrorCode.PreferredLeaderNotAvailable);
        }

        var next = current with { Leader = preferred, LeaderEpoch = current.LeaderEpoch + 1, PartitionEpoch = current.PartitionEpoch + 1 };
        return new PartitionChange(next, ErrorCode.None);
    }

    /// <summary>
    /// An administrator's UNCLEAN election (KIP-460): only a partition without a live leader is concerned (else
    /// ELECTION_NOT_NEEDED); it elects as <see cref="ElectLeader"/> with unclean election allowed, whatever the topic's
    /// config, because the administrator asked to accept the loss; ELIGIBLE_LEADERS_NOT_AVAILABLE when no replica is live.
    /// </summary>
    public static PartitionChange ElectUnclean(PartitionRegistration current, Func<int, bool> isLive)
    {
        if (!current.IsOffline && isLive(current.Leader))
        {
            return new PartitionChange(current, ErrorCode.ElectionNotNeeded);
        }

        var change = ElectLeader(current, isLive, uncleanLeaderElection: true);
        return change.Registration.IsOffline ? new PartitionChange(current, ErrorCode.EligibleLeadersNotAvailable) : change;
    }

    /// <summary>
    /// A broker died (its Orleans membership ended): it leaves the ISR, unless it is the ISR's last member (kept, as
    /// KRaft keeps it, so that the partition comes back only with the replica that has every acknowledged record),
    /// and a new leader is elected when it led.
    /// </summary>
    public static PartitionChange FenceBroker(
        PartitionRegistration current, int brokerId, Func<int, bool> isLive, bool uncleanLeaderElection = false)
    {
        var isr = current.Isr.Count > 1 ? current.Isr.Where(b => b != brokerId).ToList() : current.Isr;
        return Change(current, isr, b => b != brokerId && isLive(b), uncleanLeaderElection);
    }

    /// <summary>
    /// A leader's AlterPartition, checked as Kafka's controller checks it: from the leader (NOT_LEADER_OR_FOLLOWER),
    /// at the current leader epoch (FENCED_LEADER_EPOCH when older, UNKNOWN_LEADER_EPOCH when newer), at the current
    /// partition epoch (INVALID_UPDATE_VERSION), with an ISR that holds the leader and only replicas (INVALID_REQUEST),
    /// adding only live brokers (INELIGIBLE_REPLICA). An ISR equal to the current one changes nothing.
    /// </summary>
    public static PartitionChange AlterPartition(PartitionRegistration current, AlterPartitionRequest request, Func<int, bool> isLive)
    {
        PartitionChange Refused(ErrorCode error) => new(current, error);

        if (request.BrokerId != current.Leader)
        {
            return Refused(ErrorCode.NotLeaderOrFollower);
        }

        if (request.LeaderEpoch < current.LeaderEpoch)
        {
            return Refused(ErrorCode.FencedLeaderEpoch);
        }

        if (request.LeaderEpoch > current.LeaderEpoch)
        {
            return Refused(ErrorCode.UnknownLeaderEpoch);
        }

        if (request.PartitionEpoch != current.PartitionEpoch)
        {
            return Refused(ErrorCode.InvalidUpdateVersion);
        }

        if (!request.NewIsr.Contains(current.Leader)
            || request.NewIsr.Distinct().Count() != request.NewIsr.Count
            || request.NewIsr.Any(b => !current.Replicas.Contains(b)))
        {
            return Refused(ErrorCode.InvalidRequest);
        }

        if (request.NewIsr.Any(b => !current.Isr.Contains(b) && !isLive(b)))
        {
            return Refused(ErrorCode.IneligibleReplica);
        }

        if (current.HasIsr(request.NewIsr))
        {
            return new PartitionChange(current, ErrorCode.None);
        }

        return new PartitionChange(current with { Isr = [.. request.NewIsr], PartitionEpoch = current.PartitionEpoch + 1 }, ErrorCode.None);
    }

    /// <summary>
    /// The registration with <paramref name="isr"/> and a live leader chosen by the election rules; a new leader raises
    /// the leader epoch, any change the partition epoch (once).
    /// </summary>
    private static PartitionChange Change(
        PartitionRegistration current, IReadOnlyList<int> isr, Func<int, bool> isLive, bool uncleanLeaderElection)
    {
        var leader = current.Leader;
        if (leader == PartitionRegistration.NoLeader || !isLive(leader) || !isr.Contains(leader))
        {
            leader = current.Replicas.FirstOrDefault(b => isLive(b) && isr.Contains(b), PartitionRegistration.NoLeader);
            if (leader == PartitionRegistration.NoLeader && uncleanLeaderElection)
            {
                leader = current.Replicas.FirstOrDefault(isLive, PartitionRegistration.NoLeader);
                if (leader != PartitionRegistration.NoLeader)
                {
                    isr = [leader];
                }
            }
        }

        var error = leader == PartitionRegistration.NoLeader ? ErrorCode.LeaderNotAvailable : ErrorCode.None;
        if (leader == current.Leader && current.HasIsr(isr))
        {
            return new PartitionChange(current, error);
        }

        var next = current with
        {
            Isr = [.. isr],
            Leader = leader,
            LeaderEpoch = leader == current.Leader ? current.LeaderEpoch : current.LeaderEpoch + 1,
            PartitionEpoch = current.PartitionEpoch + 1,
        };
        return new PartitionChange(next, error);
    }
}
