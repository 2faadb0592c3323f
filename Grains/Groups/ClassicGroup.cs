using Tributary.Grains.KafkaFormats;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Groups;

/// <summary>
/// Kafka's classic consumer group protocol for one group: the state machine Empty → PreparingRebalance →
/// CompletingRebalance → Stable (and Dead), generations, leader choice, protocol selection, the MEMBER_ID_REQUIRED
/// two-step join, static membership with fencing, session and rebalance timeouts.
/// <para>JoinGroup and SyncGroup answers are tasks completed when the rebalance reaches them: a JoinGroup waits until
/// every member has rejoined (or the rebalance timeout passes), a follower's SyncGroup until the leader's assignment
/// arrives. Nothing sleeps: completion is checked on every join, and deadlines on <see cref="Tick"/>, which its owner
/// calls on a timer and before each request, so that nobody sees a member whose session has expired.</para>
/// <para>Not thread-safe: its owner calls it from one thread at a time (a grain). <see cref="Changed"/> fires when the
/// membership that must survive a restart changed (a group became Stable or Empty, a static member was replaced).</para>
/// </summary>
public sealed partial class ClassicGroup(string groupId, GroupOptions options, TimeProvider time)
{
    private readonly GroupMembers _members = new();
    private long _initialDelayDeadlineMs;
    private long _initialDelayLimitMs;
    private long _rebalanceDeadlineMs = long.MaxValue;
    private long _syncDeadlineMs = long.MaxValue;

    public string GroupId { get; } = groupId;

    public GroupState State { get; private set; } = GroupState.Empty;

    public int Generation { get; private set; }

    public string? ProtocolType { get; private set; }

    public string? ProtocolName { get; private set; }

    public string? LeaderId { get; private set; }

    /// <summary>When the group last became Empty (ms since the epoch); offsets expire from then.</summary>
    public long EmptySinceMs { get; private set; }

    public int MemberCount => _members.Count;

    /// <summary>Fired when what must survive a restart changed: see <see cref="Snapshot"/>.</summary>
    public event Action? Changed;

    /// <summary>Rebalances completed since this instance was made: the leader's assignment arrived and the group became Stable (Kafka's group-completed-rebalance).</summary>
    public int CompletedRebalances { get; private set; }

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<GroupJoinResult> JoinAsync(GroupJoinRequest join)
    {
        _deadlinesChanged = true;
        if (State == GroupState.Dead)
        {
            return Done(GroupJoinResult.Failed(ErrorCode.CoordinatorNotAvailable, join.MemberId));
        }

        if (join.SessionTimeoutMs < options.MinSessionTimeout.TotalMilliseconds || join.SessionTimeoutMs > options.MaxSessionTimeout.TotalMilliseconds)
        {
            return Done(GroupJoinResult.Failed(ErrorCode.InvalidSessionTimeout, join.MemberId));
        }

        if (join.ProtocolType.Length == 0 || join.Protocols.Count == 0)
        {
            return Done(GroupJoinResult.Failed(ErrorCode.InconsistentGroupProtocol, join.MemberId));
        }

        if (join.Protocols.Sum(p => (long)p.Metadata.Length) > options.MaxProtocolMetadataBytes)
        {
            // Kafka answers a group too large to store with UNKNOWN_SERVER_ERROR; so does this.
            return Done(GroupJoinResult.Failed(ErrorCode.UnknownServerError, join.MemberId));
        }

        if (join.MemberId.Length == 0)
        {
            var newId = $"{join.GroupInstanceId ?? join.ClientId}-{Guid.NewGuid()}";
            if (join.GroupInstanceId is { } instanceId)
            {
                return _members.TryGetStatic(instanceId, out var oldId)
                    ? ReplaceStaticMember(oldId, newId, join)
                    : AddMember(newId, join);
            }

            if (join.RequireKnownMemberId)
            {
                _members.AddPending(newId, NowMs + join.SessionTimeoutMs);
                return Done(GroupJoinResult.Failed(ErrorCode.MemberIdRequired, newId));
            }

            return AddMember(newId, join);
        }

        if (_members.UsePending(join.MemberId))
        {
            return AddMember(join.MemberId, join);
        }

        if (_members.IsFenced(join.MemberId, join.GroupInstanceId))
        {
            return Done(GroupJoinResult.Failed(ErrorCode.FencedInstanceId, join.MemberId));
        }

        if (!_members.TryGetValue(join.MemberId, out var member))
        {
            return Done(GroupJoinResult.Failed(ErrorCode.UnknownMemberId, join.MemberId));
        }

        if (!_members.Supports(join, ProtocolType))
        {
            return Done(GroupJoinResult.Failed(ErrorCode.InconsistentGroupProtocol, join.MemberId));
        }

        return Rejoin(member, join);
    }

    public Task<GroupSyncResult> SyncAsync(GroupSyncRequest sync)
    {
        _deadlinesChanged = true;
        var error = ValidateMember(sync.MemberId, sync.GroupInstanceId, sync.GenerationId);
        if (error != ErrorCode.None)
        {
            return Done(GroupSyncResult.Failed(error));
        }

        if ((sync.ProtocolType is not null && sync.ProtocolType != ProtocolType) || (sync.ProtocolName is not null && sync.ProtocolName != ProtocolName))
        {
            return Done(GroupSyncResult.Failed(ErrorCode.InconsistentGroupProtocol));
        }

        var member = _members[sync.MemberId];
        member.LastHeartbeatMs = NowMs;
        switch (State)
        {
            case GroupState.PreparingRebalance:
                return Done(GroupSyncResult.Failed(ErrorCode.RebalanceInProgress));
            case GroupState.Stable:
                return Done(new GroupSyncResult(ErrorCode.None, ProtocolType, ProtocolName, member.Assignment));
            case GroupState.CompletingRebalance:
                member.AwaitingSync?.TrySetResult(GroupSyncResult.Failed(ErrorCode.RebalanceInProgress));
                member.AwaitingSync = new TaskCompletionSource<GroupSyncResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                var waiting = member.AwaitingSync.Task;
                if (sync.MemberId == LeaderId)
                {
                    foreach (var m in _members.Values)
                    {
                        m.Assignment = sync.Assignments.TryGetValue(m.MemberId, out var assignment) ? assignment : [];
                    }

                    State = GroupState.Stable;
                    CompletedRebalances++;
                    _syncDeadlineMs = long.MaxValue;
                    var now = NowMs;
                    foreach (var m in _members.Values)
                    {
                        // As Kafka's propagateAssignment: a member's session restarts with its assignment, however long
                        // its SyncGroup waited for the leader's.
                        if (m.AwaitingSync is { } waiter)
                        {
                            m.LastHeartbeatMs = now;
                            waiter.TrySetResult(new GroupSyncResult(ErrorCode.None, ProtocolType, ProtocolName, m.Assignment));
                            m.AwaitingSync = null;
                        }
                    }

                    Changed?.Invoke();
                }

                return waiting;
            default:
                return Done(GroupSyncResult.Failed(ErrorCode.UnknownMemberId));
        }
    }

    public ErrorCode Heartbeat(string memberId, string? groupInstanceId, int generation)
    {
        var error = ValidateMember(memberId, groupInstanceId, generation);
        if (error != ErrorCode.None)
        {
            return error;
        }

        _members[memberId].LastHeartbeatMs = NowMs;
        return State == GroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
    }

    /// <summary>LeaveGroup: each member by id, or a static member by instance id alone (an admin removal).</summary>
    public IReadOnlyList<ErrorCode> Leave(IReadOnlyList<GroupMemberIdentity> leaving)
    {
        if (State == GroupState.Dead)
        {
            return leaving.Select(_ => ErrorCode.CoordinatorNotAvailable).ToList();
        }

        _deadlinesChanged = true;
        var results = new List<ErrorCode>(leaving.Count);
        foreach (var (memberId, instanceId) in leaving)
        {
            var id = memberId.Length == 0 && instanceId is not null && _members.TryGetStatic(instanceId, out var byInstance) ? byInstance : memberId;
            if (_members.IsFenced(id, instanceId))
            {
                results.Add(ErrorCode.FencedInstanceId);
            }
            else if (!_members.ContainsKey(id))
            {
                results.Add(ErrorCode.UnknownMemberId);
            }
            else
            {
                RemoveMember(id);
                results.Add(ErrorCode.None);
            }
        }

        return results;
    }

    /// <summary>
    /// Whether an OffsetCommit may go ahead: a member of the current generation, or a "simple" commit (generation
    /// &lt; 0, no member) to a group with no members, as consumers using assign() send. A member's OffsetCommit counts
    /// as a heartbeat, as in Kafka (whose classic coordinator reschedules the member's session on a commit in Stable
    /// or PreparingRebalance, the states in which a member's commit is taken). A TxnOffsetCommit
    /// (<paramref name="transactional"/>) does not, and, as in Kafka, is taken while the group completes a rebalance:
    /// a member that keeps processing through a cooperative rebalance commits its transaction then.
    /// </summary>
    public ErrorCode ValidateCommit(string memberId, string? groupInstanceId, int generation, bool transactional = false)
    {
        if (State == GroupState.Dead)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        if (generation < 0 && State == GroupState.Empty)
        {
            return ErrorCode.None;
        }

        if (State == GroupState.CompletingRebalance && !transactional)
        {
            return ErrorCode.RebalanceInProgress;
        }

        var error = ValidateMember(memberId, groupInstanceId, generation);
        if (error == ErrorCode.None && !transactional)
        {
            _members[memberId].LastHeartbeatMs = NowMs;
        }

        return error;
    }

    /// <summary>DeleteGroups: only an empty group can go.</summary>
    public ErrorCode Delete()
    {
        if (State == GroupState.Dead)
        {
            return ErrorCode.GroupIdNotFound;
        }

        if (State != GroupState.Empty)
        {
            return ErrorCode.NonEmptyGroup;
        }

        State = GroupState.Dead;
        return ErrorCode.None;
    }

    public IReadOnlyList<GroupMemberDescription> DescribeMembers() =>
        _members.Values.Select(m => new GroupMemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
            m.MetadataFor(ProtocolName), m.Assignment)).ToList();

    /// <summary>Metadata of every member for the chosen protocol (their subscriptions), for checks such as OffsetDelete.</summary>
    public IEnumerable<byte[]> MemberSubscriptions() => _members.Values.Select(m => m.MetadataFor(ProtocolName));

    private static Task<T> Done<T>(T value) => Task.FromResult(value);

    private ErrorCode ValidateMember(string memberId, string? groupInstanceId, int generation)
    {
        if (State == GroupState.Dead)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        if (_members.IsFenced(memberId, groupInstanceId))
        {
            return ErrorCode.FencedInstanceId;
        }

        if (!_members.ContainsKey(memberId) || State == GroupState.Empty)
        {
            return ErrorCode.UnknownMemberId;
        }

        return generation != Generation ? ErrorCode.IllegalGeneration : ErrorCode.None;
    }
}
