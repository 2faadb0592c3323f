using Tributary.Grains.KafkaFormats;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Groups;

/// <summary>The rebalance: members joining and leaving, waiting for everyone, and the completion of a generation.</summary>
public sealed partial class ClassicGroup
{
    private Task<GroupJoinResult> AddMember(string memberId, GroupJoinRequest join)
    {
        if (_members.Count >= options.MaxSize)
        {
            return Done(GroupJoinResult.Failed(ErrorCode.GroupMaxSizeReached, memberId));
        }

        if (!_members.Supports(join, ProtocolType))
        {
            return Done(GroupJoinResult.Failed(ErrorCode.InconsistentGroupProtocol, memberId));
        }

        if (_members.Count == 0)
        {
            ProtocolType = join.ProtocolType;
        }

        var member = new GroupMember(memberId, join)
        {
            LastHeartbeatMs = NowMs,
            AwaitingJoin = new TaskCompletionSource<GroupJoinResult>(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        _members.Add(member);

        if (State == GroupState.PreparingRebalance)
        {
            ExtendInitialDelay();
        }
        else
        {
            PrepareRebalance();
        }

        var waiting = member.AwaitingJoin.Task;
        TryCompleteJoin();
        return waiting;
    }

    private Task<GroupJoinResult> Rejoin(GroupMember member, GroupJoinRequest join)
    {
        member.LastHeartbeatMs = NowMs;
        switch (State)
        {
            case GroupState.PreparingRebalance:
                member.Update(join);
                return Park(member);
            case GroupState.CompletingRebalance when member.SameProtocols(join):
                // The member missed the JoinGroup answer of this generation: give it again.
                return Done(JoinAnswer(member));
            case GroupState.Stable when member.MemberId != LeaderId && member.SameProtocols(join):
                return Done(JoinAnswer(member));
            case GroupState.CompletingRebalance or GroupState.Stable:
                member.Update(join);
                PrepareRebalance();
                return Park(member);
            default:
                return Done(GroupJoinResult.Failed(ErrorCode.UnknownMemberId, member.MemberId));
        }
    }

    /// <summary>
    /// A static member came back with a new member id (a restart): it takes the old id's place and assignment, the old
    /// id is fenced, and a stable group with unchanged protocols answers at once, without a rebalance.
    /// </summary>
    private Task<GroupJoinResult> ReplaceStaticMember(string oldId, string newId, GroupJoinRequest join)
    {
        var member = _members[oldId];
        member.AwaitingJoin?.TrySetResult(GroupJoinResult.Failed(ErrorCode.FencedInstanceId, oldId));
        member.AwaitingSync?.TrySetResult(GroupSyncResult.Failed(ErrorCode.FencedInstanceId));
        member.AwaitingJoin = null;
        member.AwaitingSync = null;
        _members.Rename(member, newId);
        member.LastHeartbeatMs = NowMs;
        if (LeaderId == oldId)
        {
            LeaderId = newId;
        }

        if (State == GroupState.Stable && member.SameProtocols(join))
        {
            Changed?.Invoke();
            var answer = JoinAnswer(member);
            return Done(member.MemberId == LeaderId ? answer with { SkipAssignment = member.SupportsSkipAssignment } : answer);
        }

        member.Update(join);
        if (State != GroupState.PreparingRebalance)
        {
            PrepareRebalance();
        }

        return Park(member);
    }

    private Task<GroupJoinResult> Park(GroupMember member)
    {
        member.AwaitingJoin?.TrySetResult(GroupJoinResult.Failed(ErrorCode.RebalanceInProgress, member.MemberId));
        member.AwaitingJoin = new TaskCompletionSource<GroupJoinResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = member.AwaitingJoin.Task;
        TryCompleteJoin();
        return waiting;
    }

    private void RemoveMember(string memberId, bool rebalance = true)
    {
        if (!_members.Remove(memberId, out var member))
        {
            return;
        }

        member.AwaitingJoin?.TrySetResult(GroupJoinResult.Failed(ErrorCode.UnknownMemberId, memberId));
        member.AwaitingSync?.TrySetResult(GroupSyncResult.Failed(ErrorCode.UnknownMemberId));

        if (LeaderId == memberId)
        {
            LeaderId = null;
        }

        if (!rebalance)
        {
            return;
        }

        if (State is GroupState.Stable or GroupState.CompletingRebalance)
        {
            PrepareRebalance();
        }

        TryCompleteJoin();
    }

    private void PrepareRebalance()
    {
        if (State == GroupState.CompletingRebalance)
        {
            foreach (var member in _members.Values)
            {
                member.AwaitingSync?.TrySetResult(GroupSyncResult.Failed(ErrorCode.RebalanceInProgress));
                member.AwaitingSync = null;
                member.Assignment = [];
            }
        }

        var now = NowMs;
        var rebalanceTimeout = _members.Count == 0 ? 0 : _members.Values.Max(m => m.RebalanceTimeoutMs);
        if (State == GroupState.Empty && options.InitialRebalanceDelay > TimeSpan.Zero)
        {
            // The first rebalance of a group waits a little for the other members that are surely starting too.
            _initialDelayLimitMs = now + Math.Max(rebalanceTimeout, (long)options.InitialRebalanceDelay.TotalMilliseconds);
            _initialDelayDeadlineMs = now + (long)options.InitialRebalanceDelay.TotalMilliseconds;
        }
        else
        {
            _initialDelayDeadlineMs = 0;
        }

        _rebalanceDeadlineMs = now + Math.Max(rebalanceTimeout, (long)options.InitialRebalanceDelay.TotalMilliseconds);
        _syncDeadlineMs = long.MaxValue;
        State = GroupState.PreparingRebalance;
    }

    private void ExtendInitialDelay()
    {
        if (_initialDelayDeadlineMs > 0)
        {
            _initialDelayDeadlineMs = Math.Min(NowMs + (long)options.InitialRebalanceDelay.TotalMilliseconds, _initialDelayLimitMs);
            _rebalanceDeadlineMs = Math.Max(_rebalanceDeadlineMs, _initialDelayDeadlineMs);
        }
    }

    /// <summary>Completes the join phase as soon as every member (and every member id handed out) has joined.</summary>
    private void TryCompleteJoin()
    {
        if (State == GroupState.PreparingRebalance
            && NowMs >= _initialDelayDeadlineMs
            && _members.PendingCount == 0
            && _members.Values.All(m => m.AwaitingJoin is not null))
        {
            CompleteJoin();
        }
    }

    private void CompleteJoin()
    {
        foreach (var member in _members.Values.Where(m => m.AwaitingJoin is null && !m.IsStatic).ToList())
        {
            RemoveMember(member.MemberId, rebalance: false);
        }

        Generation++;
        _rebalanceDeadlineMs = long.MaxValue;
        _initialDelayDeadlineMs = 0;
        if (_members.Count == 0)
        {
            State = GroupState.Empty;
            ProtocolName = null;
            LeaderId = null;
            EmptySinceMs = NowMs;
            Changed?.Invoke();
            return;
        }

        ProtocolName = _members.SelectProtocol();
        if (LeaderId is null || _members[LeaderId].AwaitingJoin is null)
        {
            LeaderId = _members.Values.FirstOrDefault(m => m.AwaitingJoin is not null)?.MemberId ?? _members.Values.First().MemberId;
        }

        State = GroupState.CompletingRebalance;
        var now = NowMs;
        _syncDeadlineMs = now + _members.Values.Max(m => m.RebalanceTimeoutMs);
        foreach (var member in _members.Values)
        {
            member.LastHeartbeatMs = now;
            member.AwaitingJoin?.TrySetResult(JoinAnswer(member));
            member.AwaitingJoin = null;
        }
    }

    private GroupJoinResult JoinAnswer(GroupMember member) => new(
        ErrorCode.None,
        Generation,
        ProtocolType,
        ProtocolName,
        LeaderId ?? "",
        member.MemberId,
        member.MemberId == LeaderId
            ? _members.Values.Select(m => new GroupJoinedMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName))).ToList()
            : [],
        SkipAssignment: false);
}
