using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>
/// The leader's view of its followers, after Kafka's Partition and Replica: each follower's log end offset (the offset
/// of its last fetch) and the last time it was caught up; from them the high watermark (the smallest log end offset
/// in the ISR, never going back), the followers that fell out of sync (not caught up for
/// <c>replica.lag.time.max.ms</c>), those ready to join the ISR (caught up to the high watermark and into the
/// leader's epoch), and whether an acks=all append is replicated.
/// <para>Threads: one owner (the partition's leader), one call at a time. Orleans-free; time is passed in.</para>
/// </summary>
public sealed class IsrTracker
{
    private readonly Dictionary<int, FollowerState> _followers = [];
    private long _highWatermark;

    /// <summary>
    /// Followers this leader proposed to add to the ISR, until the controller answers: the high watermark waits for them
    /// too (Kafka's maximal ISR, KIP-497), or a follower could join the ISR, and then lead, without records that were
    /// acknowledged by the others while the proposal was on its way.
    /// </summary>
    private int[] _pendingJoin = [];

    /// <summary>A leader taking over at <paramref name="registration"/>, with its log ending at <paramref name="leaderEndOffset"/>.</summary>
    /// <param name="leaderEpochStartOffset">Where the leader's epoch starts: its log end when it became leader.</param>
    public IsrTracker(int leaderId, PartitionRegistration registration, long leaderEndOffset, long highWatermark, long nowMs)
    {
        LeaderId = leaderId;
        Registration = registration;
        LeaderEpochStartOffset = leaderEndOffset;
        _highWatermark = highWatermark;
        foreach (var follower in registration.Replicas.Where(b => b != leaderId))
        {
            // As Kafka resets its replicas on election: an ISR member counts as caught up now, others not at all.
            _followers[follower] = new FollowerState(-1, registration.Isr.Contains(follower) ? nowMs : 0, -1, 0);
        }
    }

    public int LeaderId { get; }

    /// <summary>The registration this leader works with; replaced when its AlterPartition succeeds.</summary>
    public PartitionRegistration Registration { get; private set; }

    /// <summary>The leader's log end offset when its epoch began: a follower must reach it to join the ISR.</summary>
    public long LeaderEpochStartOffset { get; }

    /// <summary>The smallest log end offset among the ISR, as of the last update; never goes back.</summary>
    public long HighWatermark => _highWatermark;

    /// <summary>Whether <paramref name="brokerId"/> holds a replica that follows this leader.</summary>
    public bool IsFollower(int brokerId) => _followers.ContainsKey(brokerId);

    /// <summary>A follower's log end offset as the leader last heard it, or -1.</summary>
    public long FollowerEndOffset(int brokerId) => _followers.TryGetValue(brokerId, out var state) ? state.EndOffset : -1;

    /// <summary>
    /// A follower fetched from <paramref name="fetchOffset"/> (so it holds everything before it) when the leader's log
    /// ended at <paramref name="leaderEndOffset"/> (Kafka's Replica.updateFetchState). Returns the high watermark after.
    /// </summary>
    public long OnFollowerFetch(int brokerId, long fetchOffset, long leaderEndOffset, long nowMs)
    {
        if (!_followers.TryGetValue(brokerId, out var state))
        {
            throw new ArgumentException($"Broker {brokerId} is not a follower of this partition.", nameof(brokerId));
        }

        var caughtUp = state.LastCaughtUpMs;
        if (fetchOffset >= leaderEndOffset)
        {
            caughtUp = Math.Max(caughtUp, nowMs);
        }
        else if (fetchOffset >= state.LastFetchLeaderEndOffset)
        {
            // It has what the leader had at its previous fetch: it was caught up then.
            caughtUp = Math.Max(caughtUp, state.LastFetchMs);
        }

        _followers[brokerId] = new FollowerState(fetchOffset, caughtUp, leaderEndOffset, nowMs);
        return UpdateHighWatermark(leaderEndOffset);
    }

    /// <summary>Recomputes the high watermark from the ISR's log ends and <paramref name="leaderEndOffset"/>; it only goes up.</summary>
    public long UpdateHighWatermark(long leaderEndOffset)
    {
        var smallest = leaderEndOffset;
        var isr = Registration.Isr;

        // Indexed, not foreach: an interface's enumerator would be allocated at every append.
        for (var i = 0; i < isr.Count; i++)
        {
            var member = isr[i];
            if (member != LeaderId)
            {
                smallest = Math.Min(smallest, _followers.TryGetValue(member, out var state) ? state.EndOffset : -1);
            }
        }

        foreach (var joining in _pendingJoin)
        {
            smallest = Math.Min(smallest, _followers.TryGetValue(joining, out var state) ? state.EndOffset : -1);
        }

        _highWatermark = Math.Max(_highWatermark, smallest);
        return _highWatermark;
    }

    /// <summary>
    /// The ISR members to drop: followers whose log end differs from the leader's and that were last caught up more
    /// than <paramref name="replicaLagTimeMaxMs"/> ago (Kafka's isFollowerOutOfSync).
    /// </summary>
    public IReadOnlyList<int> OutOfSyncFollowers(long leaderEndOffset, long nowMs, long replicaLagTimeMaxMs) =>
        Registration.Isr
            .Where(b => b != LeaderId && _followers.TryGetValue(b, out var state)
                && state.EndOffset != leaderEndOffset && nowMs - state.LastCaughtUpMs > replicaLagTimeMaxMs)
            .ToList();

    /// <summary>Followers outside the ISR that have reached the high watermark and the start of the leader's epoch.</summary>
    public IReadOnlyList<int> FollowersReadyToJoin() =>
        _followers
            .Where(f => !Registration.Isr.Contains(f.Key) && f.Value.EndOffset >= _highWatermark && f.Value.EndOffset >= LeaderEpochStartOffset)
            .Select(f => f.Key)
            .Order()
            .ToList();

    /// <summary>
    /// The AlterPartition that would apply <paramref name="newIsr"/> to the current registration; the followers it adds
    /// hold the high watermark back from now on, until a registration is taken or another proposal replaces this one.
    /// </summary>
    public AlterPartitionRequest ProposeIsr(IReadOnlyCollection<int> newIsr)
    {
        _pendingJoin = [.. newIsr.Where(b => b != LeaderId && !Registration.Isr.Contains(b))];
        return new AlterPartitionRequest(LeaderId, Registration.LeaderEpoch, Registration.PartitionEpoch, [.. newIsr.Order()]);
    }

    /// <summary>No ISR change is proposed any more: only the ISR holds the high watermark back.</summary>
    public void ClearProposal() => _pendingJoin = [];

    /// <summary>Takes the registration the controller stored after this leader's AlterPartition succeeded.</summary>
    public void OnRegistrationChanged(PartitionRegistration registration)
    {
        if (registration.Leader != LeaderId || registration.LeaderEpoch != Registration.LeaderEpoch)
        {
            throw new InvalidOperationException($"Broker {LeaderId} no longer leads at epoch {Registration.LeaderEpoch}: {registration}.");
        }

        var previousIsr = Registration.Isr;
        Registration = registration;
        _pendingJoin = [];

        // A follower the controller dropped from the ISR (fenced when its broker died, or out of sync) must fetch again
        // before it may rejoin: what it reached before may be a tail its restarted broker lost.
        foreach (var dropped in previousIsr.Where(b => b != LeaderId && !registration.Isr.Contains(b) && registration.Replicas.Contains(b)))
        {
            _followers[dropped] = new FollowerState(-1, 0, -1, 0);
        }

        // A reassignment adds followers (not caught up yet) and removes others.
        foreach (var removed in _followers.Keys.Where(b => !registration.Replicas.Contains(b)).ToList())
        {
            _followers.Remove(removed);
        }

        foreach (var added in registration.Replicas.Where(b => b != LeaderId && !_followers.ContainsKey(b)))
        {
            _followers[added] = new FollowerState(-1, 0, -1, 0);
        }
    }

    /// <summary>
    /// Kafka's acks=all check (checkEnoughReplicasReachOffset) for an append ending before <paramref name="requiredOffset"/>:
    /// not yet while the high watermark is below it; then replicated, with NOT_ENOUGH_REPLICAS_AFTER_APPEND when the
    /// ISR has shrunk below <paramref name="minInSyncReplicas"/> meanwhile.
    /// </summary>
    public (bool Done, ErrorCode Error) AcksAllState(long requiredOffset, int minInSyncReplicas) =>
        _highWatermark < requiredOffset ? (false, ErrorCode.None)
        : Registration.Isr.Count >= minInSyncReplicas ? (true, ErrorCode.None)
        : (true, ErrorCode.NotEnoughReplicasAfterAppend);

    /// <summary>Whether an acks=all append may be written at all: NOT_ENOUGH_REPLICAS when the ISR is below <paramref name="minInSyncReplicas"/>.</summary>
    public ErrorCode CheckAcksAllAppend(int minInSyncReplicas) =>
        Registration.Isr.Count >= minInSyncReplicas ? ErrorCode.None : ErrorCode.NotEnoughReplicas;

    private readonly record struct FollowerState(long EndOffset, long LastCaughtUpMs, long LastFetchLeaderEndOffset, long LastFetchMs);
}
