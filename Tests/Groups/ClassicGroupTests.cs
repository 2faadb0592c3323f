using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Groups;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Tests.Groups;

public sealed class ClassicGroupTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly ClassicGroup _group;

    public ClassicGroupTests() =>
        _group = new ClassicGroup("g", new GroupOptions { InitialRebalanceDelay = TimeSpan.Zero }, _time);

    private static GroupJoinRequest Join(string memberId = "", string? instance = null, string client = "c", int session = 10_000,
        params string[] protocols) =>
        new(memberId, instance, client, "/127.0.0.1", session, 30_000, "consumer",
            (protocols.Length == 0 ? ["range"] : protocols).Select(p => new GroupProtocolData(p, [1, 2, 3])).ToList(),
            RequireKnownMemberId: true, SupportsSkipAssignment: true);

    /// <summary>The two-step join of a new dynamic member: MEMBER_ID_REQUIRED, then the join with that id.</summary>
    private Task<GroupJoinResult> JoinNew(string client = "c", string? instance = null, params string[] protocols)
    {
        if (instance is not null)
        {
            return _group.JoinAsync(Join(instance: instance, client: client, protocols: protocols));
        }

        // A MEMBER_ID_REQUIRED answer is immediate: the task is complete.
        var first = _group.JoinAsync(Join(client: client, protocols: protocols));
        Assert.True(first.IsCompleted);
        Assert.Equal(ErrorCode.MemberIdRequired, first.GetAwaiter().GetResult().Error);
        return _group.JoinAsync(Join(first.GetAwaiter().GetResult().MemberId, client: client, protocols: protocols));
    }

    private GroupSyncResult SyncLeader(GroupJoinResult leader)
    {
        // The leader's SyncGroup completes the rebalance at once.
        var sync = _group.SyncAsync(new GroupSyncRequest(leader.MemberId, null, leader.GenerationId, "consumer", leader.ProtocolName,
            leader.Members.ToDictionary(m => m.MemberId, m => new[] { (byte)m.MemberId.Length })));
        Assert.True(sync.IsCompleted);
        return sync.GetAwaiter().GetResult();
    }

    [Fact]
    public async Task AFirstMember_JoinsInTwoSteps_LeadsGenerationOne_AndSyncsToStable()
    {
        var joined = await JoinNew();

        Assert.Equal((ErrorCode.None, 1, "range"), (joined.Error, joined.GenerationId, joined.ProtocolName));
        Assert.Equal(joined.MemberId, joined.Leader);
        Assert.Single(joined.Members);
        Assert.Equal(GroupState.CompletingRebalance, _group.State);

        var synced = SyncLeader(joined);
        Assert.Equal(ErrorCode.None, synced.Error);
        Assert.Equal(GroupState.Stable, _group.State);
        Assert.Equal(ErrorCode.None, _group.Heartbeat(joined.MemberId, null, 1));
    }

    [Fact]
    public async Task ANewMember_StartsARebalance_ThatCompletesWhenTheOthersRejoin()
    {
        var leader = await JoinNew("a");
        SyncLeader(leader);

        var second = JoinNew("b");
        Assert.False(second.IsCompleted);
        Assert.Equal(GroupState.PreparingRebalance, _group.State);
        Assert.Equal(ErrorCode.RebalanceInProgress, _group.Heartbeat(leader.MemberId, null, 1));

        var leaderAgain = _group.JoinAsync(Join(leader.MemberId, client: "a"));
        var (l, s) = (await leaderAgain, await second);

        Assert.Equal(2, l.GenerationId);
        Assert.Equal(leader.MemberId, l.Leader);
        Assert.Equal(2, l.Members.Count);
        Assert.Empty(s.Members);
        var followerSync = _group.SyncAsync(new GroupSyncRequest(s.MemberId, null, 2, null, null, new Dictionary<string, byte[]>()));
        Assert.False(followerSync.IsCompleted);
        SyncLeader(l);
        Assert.Equal(ErrorCode.None, (await followerSync).Error);
        Assert.Equal([(byte)s.MemberId.Length], (await followerSync).Assignment);
        Assert.Equal(GroupState.Stable, _group.State);
    }

    [Fact]
    public async Task ALeavingMember_HandsOverThroughARebalance()
    {
        var a = await JoinNew("a");
        SyncLeader(a);
        var bJoin = JoinNew("b");
        var aRejoin = await _group.JoinAsync(Join(a.MemberId, client: "a"));
        var b = await bJoin;
        SyncLeader(aRejoin);

        Assert.Equal([ErrorCode.None], _group.Leave([new GroupMemberIdentity(a.MemberId, null)]));
        Assert.Equal(GroupState.PreparingRebalance, _group.State);
        var bAgain = await _group.JoinAsync(Join(b.MemberId, client: "b"));

        Assert.Equal((3, b.MemberId), (bAgain.GenerationId, bAgain.Leader));
        Assert.Equal([ErrorCode.UnknownMemberId], _group.Leave([new GroupMemberIdentity(a.MemberId, null)]));
    }

    [Fact]
    public async Task AMemberThatStopsHeartbeating_IsRemovedAfterItsSessionTimeout()
    {
        var a = await JoinNew("a");
        SyncLeader(a);

        _time.Advance(TimeSpan.FromMilliseconds(9_000));
        _group.Tick();
        Assert.Equal(GroupState.Stable, _group.State);
        _time.Advance(TimeSpan.FromMilliseconds(1_500));
        _group.Tick();

        Assert.Equal(GroupState.Empty, _group.State);
        Assert.Equal(0, _group.MemberCount);
        Assert.Equal(ErrorCode.UnknownMemberId, _group.Heartbeat(a.MemberId, null, 1));
    }

    [Fact]
    public async Task AMemberThatDoesNotRejoin_IsDroppedAtTheRebalanceTimeout()
    {
        var a = await JoinNew("a");
        SyncLeader(a);
        var b = JoinNew("b");

        _time.Advance(TimeSpan.FromSeconds(31));
        _group.Tick();

        var joined = await b;
        Assert.Equal((2, joined.MemberId), (joined.GenerationId, joined.Leader));
        Assert.Equal(1, _group.MemberCount);
    }

    [Fact]
    public async Task AStaticMemberRestarting_GetsItsAssignmentBack_WithoutARebalance_AndItsOldIdIsFenced()
    {
        var leader = await JoinNew("a");
        var staticJoin = JoinNew("s", instance: "instance-1");
        var leaderAgain = await _group.JoinAsync(Join(leader.MemberId, client: "a"));
        var old = await staticJoin;
        SyncLeader(leaderAgain);
        var oldAssignment = (await _group.SyncAsync(new GroupSyncRequest(old.MemberId, "instance-1", 2, null, null, new Dictionary<string, byte[]>()))).Assignment;

        var restarted = await _group.JoinAsync(Join(instance: "instance-1", client: "s"));

        Assert.Equal(ErrorCode.None, restarted.Error);
        Assert.Equal(2, restarted.GenerationId);
        Assert.NotEqual(old.MemberId, restarted.MemberId);
        Assert.Equal(GroupState.Stable, _group.State);
        var synced = await _group.SyncAsync(new GroupSyncRequest(restarted.MemberId, "instance-1", 2, null, null, new Dictionary<string, byte[]>()));
        Assert.Equal(oldAssignment, synced.Assignment);
        Assert.Equal(ErrorCode.FencedInstanceId, _group.Heartbeat(old.MemberId, "instance-1", 2));
        Assert.Equal(ErrorCode.None, _group.Heartbeat(leader.MemberId, null, 2));
    }

    [Fact]
    public async Task BadRequests_GetKafkasErrors_AndLeaveTheGroupAsItWas()
    {
        var a = await JoinNew("a");
        SyncLeader(a);

        Assert.Equal(ErrorCode.UnknownMemberId, _group.Heartbeat("nobody", null, 1));
        Assert.Equal(ErrorCode.IllegalGeneration, _group.Heartbeat(a.MemberId, null, 7));
        Assert.Equal(ErrorCode.InvalidSessionTimeout, (await _group.JoinAsync(Join(session: 10))).Error);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (await _group.JoinAsync(Join(a.MemberId, protocols: "roundrobin"))).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, (await _group.JoinAsync(Join("ghost"))).Error);
        Assert.Equal(ErrorCode.IllegalGeneration, (await _group.SyncAsync(new GroupSyncRequest(a.MemberId, null, 9, null, null, new Dictionary<string, byte[]>()))).Error);
        var huge = Join() with { Protocols = [new GroupProtocolData("range", new byte[2 * 1024 * 1024])] };
        Assert.Equal(ErrorCode.UnknownServerError, (await _group.JoinAsync(huge)).Error);

        Assert.Equal(GroupState.Stable, _group.State);
        Assert.Equal((1, 1), (_group.Generation, _group.MemberCount));
        Assert.Equal(ErrorCode.None, _group.Heartbeat(a.MemberId, null, 1));
    }

    [Fact]
    public async Task TheProtocol_IsTheOneMostMembersPreferAmongThoseAllSupport()
    {
        var a = JoinNew("a", null, "cooperative-sticky", "range");
        var first = await a;
        Assert.Equal("cooperative-sticky", first.ProtocolName);

        var b = JoinNew("b", null, "range", "cooperative-sticky");
        var c = JoinNew("c", null, "range");
        var aAgain = await _group.JoinAsync(Join(first.MemberId, client: "a", protocols: ["cooperative-sticky", "range"]));
        await b;
        await c;

        Assert.Equal("range", aAgain.ProtocolName);
    }

    [Fact]
    public async Task Commits_FromMembersOfTheCurrentGeneration_OrSimpleCommitsToAnEmptyGroup()
    {
        Assert.Equal(ErrorCode.None, _group.ValidateCommit("", null, -1));
        var a = await JoinNew("a");
        Assert.Equal(ErrorCode.RebalanceInProgress, _group.ValidateCommit(a.MemberId, null, 1));

        // As Kafka: a transaction's offsets are taken while the group completes its rebalance, from the new generation only.
        Assert.Equal(ErrorCode.None, _group.ValidateCommit(a.MemberId, null, 1, transactional: true));
        Assert.Equal(ErrorCode.IllegalGeneration, _group.ValidateCommit(a.MemberId, null, 0, transactional: true));
        SyncLeader(a);

        Assert.Equal(ErrorCode.None, _group.ValidateCommit(a.MemberId, null, 1));
        Assert.Equal(ErrorCode.UnknownMemberId, _group.ValidateCommit("", null, -1));
        Assert.Equal(ErrorCode.IllegalGeneration, _group.ValidateCommit(a.MemberId, null, 0));
    }

    [Fact]
    public async Task ASnapshot_RestoresAStableGroup_WhoseMembersHeartbeatOn()
    {
        var a = await JoinNew("a");
        SyncLeader(a);
        var snapshot = _group.Snapshot()!;

        var restored = new ClassicGroup("g", new GroupOptions(), _time);
        restored.Restore(snapshot);

        Assert.Equal((GroupState.Stable, 1, a.MemberId), (restored.State, restored.Generation, restored.LeaderId));
        Assert.Equal(ErrorCode.None, restored.Heartbeat(a.MemberId, null, 1));
    }

    [Fact]
    public async Task OnlyAnEmptyGroup_CanBeDeleted()
    {
        await JoinNew("a");

        Assert.Equal(ErrorCode.NonEmptyGroup, _group.Delete());
    }
}
