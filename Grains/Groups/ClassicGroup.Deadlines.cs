namespace Tributary.Grains.Groups;

/// <summary>
/// Deadlines: member ids handed out and never used, sessions, the end of the initial delay, rebalance and sync timeouts.
/// <see cref="Tick"/> applies those that have passed. It is cheap when none has: the earliest deadline is kept, and worked
/// out again only after something moved a deadline earlier (a join, a sync, a leave, a restore) or one passed; heartbeats
/// and commits only move a session's end later. So the owner may call it before every request as well as on a timer,
/// as Kafka's coordinator acts at each deadline rather than when it next looks.
/// </summary>
public sealed partial class ClassicGroup
{
    private long _nextDeadlineMs = long.MaxValue;
    private bool _deadlinesChanged;

    /// <summary>Applies the deadlines that have passed: expired pending ids and sessions, the end of the initial delay, rebalance and sync timeouts.</summary>
    public void Tick()
    {
        var now = NowMs;
        if (!_deadlinesChanged && now < _nextDeadlineMs)
        {
            return;
        }

        _deadlinesChanged = false;
        _members.ExpirePending(now);

        foreach (var member in _members.Values.ToList())
        {
            if (member.AwaitingJoin is null && member.AwaitingSync is null && now - member.LastHeartbeatMs > member.SessionTimeoutMs)
            {
                RemoveMember(member.MemberId);
            }
        }

        if (State == GroupState.PreparingRebalance)
        {
            if (now >= _rebalanceDeadlineMs)
            {
                CompleteJoin();
            }
            else
            {
                TryCompleteJoin();
            }
        }
        else if (State == GroupState.CompletingRebalance && now >= _syncDeadlineMs)
        {
            // The leader never sent its assignment: members that did not sync are dropped and the group tries again.
            foreach (var member in _members.Values.Where(m => m.AwaitingSync is null && !m.IsStatic).ToList())
            {
                RemoveMember(member.MemberId, rebalance: false);
            }

            PrepareRebalance();
            TryCompleteJoin();
        }

        _nextDeadlineMs = NextDeadline();
    }

    /// <summary>When <see cref="Tick"/> has something to do next, as things stand (ms since the epoch).</summary>
    private long NextDeadline()
    {
        var next = _members.PendingExpiryMs;

        foreach (var member in _members.Values)
        {
            if (member.AwaitingJoin is null && member.AwaitingSync is null)
            {
                next = Math.Min(next, member.LastHeartbeatMs + member.SessionTimeoutMs + 1);
            }
        }

        if (State == GroupState.PreparingRebalance)
        {
            next = Math.Min(next, _rebalanceDeadlineMs);
            if (_initialDelayDeadlineMs > 0)
            {
                next = Math.Min(next, _initialDelayDeadlineMs);
            }
        }
        else if (State == GroupState.CompletingRebalance)
        {
            next = Math.Min(next, _syncDeadlineMs);
        }

        return next;
    }
}
