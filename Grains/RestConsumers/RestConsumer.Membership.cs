using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Messages;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.RestConsumers;

/// <summary>
/// Group membership, as Kafka's ConsumerCoordinator does it over the classic group protocol: join (with the member id
/// the coordinator asks for), the leader assigns with the range assignor, sync, then heartbeat until the group
/// rebalances, and join again. The owner runs the steps in a loop beside the requests, from
/// <see cref="StartMembership"/> until it stops the loop and calls <see cref="StopMembership"/>.
/// </summary>
public sealed partial class RestConsumer
{
    private const string ClientId = "tributary-rest-proxy";
    private const string ClientHost = "rest-proxy";
    private const string ProtocolType = "consumer";

    private string _memberId = "";
    private int _generation = -1;
    private MembershipStep? _step;
    private bool _backingOff;
    private bool _checkingTopics;
    private int _beats;
    private IReadOnlyList<GroupJoinedMember> _members = [];
    private string? _protocolName;

    /// <summary>The member id the group gave the instance; empty before it has one.</summary>
    public string MemberId => _memberId;

    /// <summary>The generation the instance last joined; -1 before it has joined.</summary>
    public int GenerationId => _generation;

    /// <summary>The membership's first step, after a subscription: a step of a membership started earlier is stale from now on.</summary>
    public MembershipStep StartMembership()
    {
        _backingOff = false;
        _checkingTopics = false;
        _beats = 0;
        return Rejoin();
    }

    /// <summary>
    /// Ends the membership once its owner's loop has stopped: forgets the member id and generation and the partitions
    /// the group assigned. Returns the member id to leave the group with (null when the instance had none).
    /// </summary>
    public string? StopMembership()
    {
        var leaving = _memberId.Length > 0 ? _memberId : null;
        _step = null;
        _memberId = "";
        _generation = -1;
        _members = [];
        _protocolName = null;
        SetAssignment([]);
        return leaving;
    }

    /// <summary>Every topic there is, listed: those the pattern matches are the subscription.</summary>
    public MembershipStep? TopicsListed(MembershipStep.ListTopics step, IReadOnlyList<string> topics)
    {
        if (!IsCurrent(step))
        {
            return null;
        }

        var resolved = ResolveTopics(topics);
        if (_checkingTopics)
        {
            // A pattern takes in topics created since the last join: a change of topics is a new join.
            _checkingTopics = false;
            if (resolved.SequenceEqual(_subscribedTopics))
            {
                return NextHeartbeat();
            }
        }

        return JoinWith(resolved);
    }

    /// <summary>The JoinGroup's answer: join again, wait, or sync (as the leader, once the topics' partitions are known).</summary>
    public MembershipStep? Joined(MembershipStep.Join step, GroupJoinResult answer)
    {
        if (!IsCurrent(step))
        {
            return null;
        }

        switch (answer.Error)
        {
            case ErrorCode.MemberIdRequired:
                // The coordinator names the new member: the join that counts is the next one, with that id.
                _memberId = answer.MemberId;
                return Rejoin();
            case ErrorCode.UnknownMemberId:
                // The group no longer knows the member (its session expired): join as a new member.
                _memberId = "";
                return Rejoin();
            case not ErrorCode.None:
                _backingOff = true;
                return Next(new MembershipStep.Wait(options.JoinRetryBackoff));
        }

        _memberId = answer.MemberId;
        _generation = answer.GenerationId;
        _protocolName = answer.ProtocolName;
        if (answer.Leader == answer.MemberId)
        {
            _members = answer.Members;
            return Next(new MembershipStep.DescribeTopics(RangeAssignor.TopicsOf(answer.Members)));
        }

        return SyncWith(new Dictionary<string, byte[]>());
    }

    /// <summary>The partition counts of the members' topics (a topic missing does not exist): the leader's SyncGroup.</summary>
    public MembershipStep? Described(MembershipStep.DescribeTopics step, IReadOnlyDictionary<string, int> partitionCounts)
    {
        if (!IsCurrent(step))
        {
            return null;
        }

        var assignments = RangeAssignor.Encode(RangeAssignor.Assign(_members, partitionCounts));
        _members = [];
        return SyncWith(assignments);
    }

    /// <summary>The SyncGroup's answer: the instance's partitions, then heartbeats; an error (a rebalance began again) is a new join.</summary>
    public MembershipStep? Synced(MembershipStep.Sync step, GroupSyncResult answer)
    {
        if (!IsCurrent(step))
        {
            return null;
        }

        if (answer.Error != ErrorCode.None)
        {
            return Rejoin();
        }

        SetAssignment(ConsumerProtocol.DecodeAssignment(answer.Assignment).Select(a => new TopicPartition(a.Topic, a.Partition)).ToList());
        _beats = 0;
        return NextHeartbeat();
    }

    /// <summary>The wait is over: the next heartbeat, or the next join after a backoff.</summary>
    public MembershipStep? Waited(MembershipStep.Wait step)
    {
        if (!IsCurrent(step))
        {
            return null;
        }

        if (_backingOff)
        {
            _backingOff = false;
            return Rejoin();
        }

        return Next(new MembershipStep.Heartbeat(_memberId, _generation));
    }

    /// <summary>
    /// The Heartbeat's answer. None: heartbeat on (a pattern's topics are looked at again every few beats). Any error
    /// means joining again, as Kafka's consumer does: REBALANCE_IN_PROGRESS after committing the positions when
    /// auto-commit is on, ILLEGAL_GENERATION with the same member id, UNKNOWN_MEMBER_ID as a new member. The partitions
    /// stay until the next sync replaces them.
    /// </summary>
    public MembershipStep? HeartbeatAnswered(MembershipStep.Heartbeat step, ErrorCode error)
    {
        if (!IsCurrent(step))
        {
            return null;
        }

        if (error == ErrorCode.None)
        {
            if (_pattern is not null && options.PatternCheckHeartbeats > 0 && ++_beats % options.PatternCheckHeartbeats == 0)
            {
                _checkingTopics = true;
                return Next(new MembershipStep.ListTopics());
            }

            return NextHeartbeat();
        }

        if (error == ErrorCode.RebalanceInProgress && _config?.AutoCommit == true && _positions.Count > 0)
        {
            return Next(new MembershipStep.Commit(CommitOf(PositionsToCommit())));
        }

        if (error == ErrorCode.UnknownMemberId)
        {
            _memberId = "";
        }

        return Rejoin();
    }

    /// <summary>The commit before a rebalance was sent (whatever its answer): join again.</summary>
    public MembershipStep? RebalanceCommitted(MembershipStep.Commit step) => IsCurrent(step) ? Rejoin() : null;

    private bool IsCurrent(MembershipStep step) => ReferenceEquals(step, _step);

    private MembershipStep Next(MembershipStep step) => _step = step;

    private MembershipStep NextHeartbeat() => Next(new MembershipStep.Wait(options.HeartbeatInterval));

    /// <summary>A new join, with the subscription as it is now: a pattern's topics are listed first.</summary>
    private MembershipStep Rejoin() => _pattern is not null ? Next(new MembershipStep.ListTopics()) : JoinWith(ResolveTopics(null));

    private MembershipStep JoinWith(List<string> topics)
    {
        _subscribedTopics = topics;
        var timeoutMs = (int)options.SessionTimeout.TotalMilliseconds;
        return Next(new MembershipStep.Join(new GroupJoinRequest(
            _memberId, GroupInstanceId: null, ClientId, ClientHost, timeoutMs, timeoutMs, ProtocolType,
            [new GroupProtocolData(RangeAssignor.Name, ConsumerProtocol.EncodeSubscription(topics))],
            RequireKnownMemberId: true, SupportsSkipAssignment: false)));
    }

    private MembershipStep SyncWith(IReadOnlyDictionary<string, byte[]> assignments) =>
        Next(new MembershipStep.Sync(new GroupSyncRequest(_memberId, GroupInstanceId: null, _generation, ProtocolType, _protocolName, assignments)));
}
