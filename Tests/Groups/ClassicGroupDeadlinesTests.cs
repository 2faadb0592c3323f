using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.Groups;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Tests.Groups;

/// <summary>Sessions and rebalances against the clock: what ends a member's session, and when a waiting join or sync is answered.</summary>
public sealed class ClassicGroupDeadlinesTests
{
    private const int Session = 5_000;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly ClassicGroup _group;

    public ClassicGroupDeadlinesTests() =>
        _group = new ClassicGroup("g", new GroupOptions { InitialRebalanceDelay = TimeSpan.Zero, MinSessionTimeout = TimeSpan.FromSeconds(1) }, _time);

    private static GroupJoinRequest Join(string memberId = "", string? instance = null, string client = "c", int session = Session, int rebalance = 60_000) =>
        new(memberId, instance, client, "/127.0.0.1", session, rebalance, "consumer", [new GroupProtocolData("range", [1])],
            RequireKnownMemberId: false, SupportsSkipAssignment: true);

    private static GroupSyncRequest Sync(GroupJoinResult joined, string? instance = null, Dictionary<string, byte[]>? assignments = null) =>
        new(joined.MemberId, instance, joined.GenerationId, "consumer", joined.ProtocolName, assignments ?? []);

    private void Advance(int milliseconds)
    {
        _time.Advance(TimeSpan.FromMilliseconds(milliseconds));
        _group.Tick();
    }

    /// <summary>A static member alone in the group, Stable.</summary>
    private async Task<GroupJoinResult> StaticMemberAsync(string instance = "static-1")
    {
        var joined = await _group.JoinAsync(Join(instance: instance));
        Assert.Equal(ErrorCode.None, (await _group.SyncAsync(Sync(joined, instance, new() { [joined.MemberId] = [7] }))).Error);
        Assert.Equal(GroupState.Stable, _group.State);
        return joined;
    }

    [Fact]
    public async Task AStaticMemberThatStops_AfterACommit_IsGoneTheMomentItsSessionEnds_AndTheGroupCanBeDeleted()
    {
        var member = await StaticMemberAsync();
        Advance(3_000);

        // As in Kafka, a member's OffsetCommit counts as a heartbeat: the session now ends 5 s after the commit.
        Assert.Equal(ErrorCode.None, _group.ValidateCommit(member.MemberId, "static-1", member.GenerationId));
        Advance(Session);
        Assert.Equal((GroupState.Stable, ErrorCode.NonEmptyGroup), (_group.State, _group.Delete()));
        Advance(1);

        Assert.Equal((GroupState.Empty, 0), (_group.State, _group.MemberCount));
        Assert.Equal(ErrorCode.None, _group.Delete());
    }

    [Fact]
    public async Task ATransactionalOffsetCommit_DoesNotKeepTheSessionAlive()
    {
        var member = await StaticMemberAsync();
        Advance(3_000);

        Assert.Equal(ErrorCode.None, _group.ValidateCommit(member.MemberId, "static-1", member.GenerationId, transactional: true));
        Advance(Session - 3_000 + 1);

        Assert.Equal(GroupState.Empty, _group.State);
    }

    [Fact]
    public async Task ADeadlineBroughtForwardByAJoin_IsKeptByTheNextTick()
    {
        var steady = await StaticMemberAsync();
        Advance(1_000);
        Assert.Equal(ErrorCode.None, _group.Heartbeat(steady.MemberId, "static-1", 1));

        // A second member with a short session joins; the first rejoins, both sync, and the newcomer then goes silent.
        var joining = _group.JoinAsync(Join(client: "short", session: 1_000));
        var rejoined = await _group.JoinAsync(Join(steady.MemberId, "static-1"));
        var newcomer = await joining;
        var newcomerSync = _group.SyncAsync(Sync(newcomer));
        await _group.SyncAsync(Sync(rejoined, "static-1"));
        Assert.Equal(ErrorCode.None, (await newcomerSync).Error);
        Assert.Equal((GroupState.Stable, 2), (_group.State, _group.MemberCount));

        // A tick in between works out the next deadline: the newcomer's, not the first member's, four seconds later.
        Advance(500);
        Assert.Equal(2, _group.MemberCount);
        Advance(501);

        Assert.Equal(ErrorCode.UnknownMemberId, _group.Heartbeat(newcomer.MemberId, null, rejoined.GenerationId));
        Assert.Equal(GroupState.PreparingRebalance, _group.State);
    }

    [Fact]
    public async Task AFollowersSession_RestartsWithItsAssignment_HoweverLongItsSyncWaitedForTheLeader()
    {
        var leader = await StaticMemberAsync();
        var followerJoin = _group.JoinAsync(Join(client: "follower"));
        var leaderAgain = await _group.JoinAsync(Join(leader.MemberId, "static-1"));
        var follower = await followerJoin;
        var followerSync = _group.SyncAsync(Sync(follower));

        // The leader takes longer than the follower's session to send the assignment, heartbeating meanwhile.
        for (var i = 0; i < 4; i++)
        {
            Advance(2_000);
            Assert.Equal(ErrorCode.None, _group.Heartbeat(leader.MemberId, "static-1", leaderAgain.GenerationId));
        }

        Assert.False(followerSync.IsCompleted);
        await _group.SyncAsync(Sync(leaderAgain, "static-1", new() { [leader.MemberId] = [1], [follower.MemberId] = [2] }));
        Assert.Equal([2], (await followerSync).Assignment);
        Advance(Session - 1);

        Assert.Equal((GroupState.Stable, 2), (_group.State, _group.MemberCount));
        Assert.Equal(ErrorCode.None, _group.Heartbeat(follower.MemberId, null, leaderAgain.GenerationId));
    }

    [Fact]
    public async Task AJoin_WaitsForASlowMember_UntilItRejoins_WithinTheRebalanceTimeout()
    {
        var slow = await StaticMemberAsync();
        var second = _group.JoinAsync(Join(client: "second"));

        // The slow member heartbeats (its consumer's background thread) but rejoins only after 40 s: longer than any
        // default call timeout, shorter than its 60 s rebalance timeout.
        for (var i = 0; i < 20; i++)
        {
            Advance(2_000);
            Assert.Equal(ErrorCode.RebalanceInProgress, _group.Heartbeat(slow.MemberId, "static-1", 1));
        }

        Assert.False(second.IsCompleted);
        var slowAgain = await _group.JoinAsync(Join(slow.MemberId, "static-1"));
        var joined = await second;

        Assert.Equal((ErrorCode.None, 2), (joined.Error, joined.GenerationId));
        Assert.Equal((ErrorCode.None, 2, 2), (slowAgain.Error, slowAgain.GenerationId, slowAgain.Members.Count));
    }
}
