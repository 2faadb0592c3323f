using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Replication;

/// <summary>
/// The replicated data path on real partition logs, three brokers in one process: the leader appends, followers
/// copy its batches by fetching, the ISR's smallest log end is the high watermark consumers read to, acks=all waits
/// for every in-sync replica, and after a leader change the old leader's unreplicated tail is cut away by epoch and
/// its log becomes the new leader's again, byte for byte.
/// </summary>
public sealed class ReplicaDataPathTests : IDisposable
{
    private const long LagMaxMs = 30_000;
    private static readonly LogConfig Config = LogConfig.Default with { SegmentBytes = 4_000 };

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly Dictionary<int, PartitionLog> _logs = [];

    public ReplicaDataPathTests()
    {
        foreach (var broker in new[] { 1, 2, 3 })
        {
            _logs[broker] = PartitionLog.Open(_temp.Combine($"broker-{broker}", "t-0"), Config, lastShutdownWasClean: false, _time);
        }
    }

    public void Dispose()
    {
        foreach (var log in _logs.Values)
        {
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task AcksAll_CompletesOnceEveryInSyncReplicaHoldsTheRecords_AndConsumersSeeThemOnlyThen()
    {
        var leader = new LeaderReplica(_logs[1], 1, PartitionRegistration.New([1, 2, 3]), _time);
        var follower2 = new FollowerReplica(_logs[2], 2, leaderEpoch: 0);
        var follower3 = new FollowerReplica(_logs[3], 3, leaderEpoch: 0);

        var append = leader.AppendAsync(Batches.Make(10), acks: -1, minInSyncReplicas: 2).AsTask();
        Assert.False(append.IsCompleted);
        Assert.Equal(0, _logs[1].HighWatermark);
        Assert.True(_logs[1].Read(0, 1 << 20).Records.IsEmpty);

        await CatchUpAsync(leader, follower2);
        Assert.False(append.IsCompleted);
        await CatchUpAsync(leader, follower3);

        var result = await append.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((ErrorCode.None, 0L, 9L), (result.Error, result.BaseOffset, result.LastOffset));
        Assert.Equal(10, _logs[1].HighWatermark);
        Assert.Equal(10, Batches.Decode(_logs[1].Read(0, 1 << 20).Records).Count);

        // The followers learn the leader's high watermark with their next fetch.
        await CatchUpAsync(leader, follower2);
        Assert.Equal(10, _logs[2].HighWatermark);

        var acksOne = await leader.AppendAsync(Batches.Make(2), acks: 1, minInSyncReplicas: 2);
        Assert.Equal(ErrorCode.None, acksOne.Error);
        Assert.Equal(10, _logs[1].HighWatermark);
    }

    [Fact]
    public async Task FollowersCopyTheLeadersBatchesByteForByte_AcrossSegments()
    {
        var leader = new LeaderReplica(_logs[1], 1, PartitionRegistration.New([1, 2, 3]), _time);
        var followers = new[] { new FollowerReplica(_logs[2], 2, 0), new FollowerReplica(_logs[3], 3, 0) };
        for (var i = 0; i < 20; i++)
        {
            await leader.AppendAsync(Batches.Make(5, first: i * 5, valueSize: 100), acks: 1, minInSyncReplicas: 1);
            await CatchUpAsync(leader, followers[i % 2]);
        }

        foreach (var follower in followers)
        {
            await CatchUpAsync(leader, follower);
        }

        Assert.True(_logs[1].SegmentBaseOffsets.Count > 2);
        var leaderBytes = AllBytes(_logs[1]);
        Assert.Equal(leaderBytes, AllBytes(_logs[2]));
        Assert.Equal(leaderBytes, AllBytes(_logs[3]));
        Assert.Equal(100, _logs[1].HighWatermark);
    }

    [Fact]
    public async Task AFencedFollowersRegistration_ReleasesAnAcksAllAppendWaitingForIt_AndOnlyANewLeaderIsRefused()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);
        var leader = new LeaderReplica(_logs[1], 1, registration, _time);
        var follower2 = new FollowerReplica(_logs[2], 2, 0);

        // Follower 3 died: the append waits for it until the controller's registration without it arrives.
        var waiting = leader.AppendAsync(Batches.Make(2), acks: -1, minInSyncReplicas: 2).AsTask();
        await CatchUpAsync(leader, follower2);
        Assert.False(waiting.IsCompleted);
        var fenced = PartitionController.FenceBroker(leader.Registration, 3, b => b != 3).Registration;
        Assert.True(leader.TryTakeRegistration(fenced, brokerId: 1));
        Assert.Equal(ErrorCode.None, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Error);

        // An older registration changes nothing; one that elects another leader is left to the owner to resign.
        Assert.True(leader.TryTakeRegistration(registration, brokerId: 1));
        Assert.Equal([1, 2], leader.Registration.Isr);
        var elsewhere = PartitionController.FenceBroker(leader.Registration, 1, b => b != 1).Registration;
        Assert.False(leader.TryTakeRegistration(elsewhere, brokerId: 1));
        Assert.Equal(1, leader.Registration.Leader);
    }

    [Fact]
    public async Task AnIsrBelowMinInsyncReplicas_RefusesAcksAll_AndAShrinkDuringTheWaitAnswersAfterAppend()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);
        var leader = new LeaderReplica(_logs[1], 1, registration, _time);
        var follower2 = new FollowerReplica(_logs[2], 2, 0);

        var waiting = leader.AppendAsync(Batches.Make(3), acks: -1, minInSyncReplicas: 3).AsTask();
        await CatchUpAsync(leader, follower2);
        _time.Advance(TimeSpan.FromMilliseconds(LagMaxMs + 1));
        await CatchUpAsync(leader, follower2);

        // Follower 3 never fetched: the leader asks the controller to drop it, and the ISR's end moves on without it.
        var shrink = leader.ProposeIsrChange(LagMaxMs);
        Assert.NotNull(shrink);
        Assert.Equal([1, 2], shrink.NewIsr);
        var change = PartitionController.AlterPartition(leader.Registration, shrink, _ => true);
        Assert.Equal(ErrorCode.None, change.Error);
        leader.OnRegistrationChanged(change.Registration);

        var after = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorCode.NotEnoughReplicasAfterAppend, after.Error);
        Assert.Equal(3, _logs[1].HighWatermark);

        var refused = await leader.AppendAsync(Batches.Make(1), acks: -1, minInSyncReplicas: 3);
        Assert.Equal(ErrorCode.NotEnoughReplicas, refused.Error);
        Assert.Equal(3, _logs[1].LogEndOffset);
        var accepted = leader.AppendAsync(Batches.Make(1), acks: -1, minInSyncReplicas: 2).AsTask();
        Assert.False(accepted.IsCompleted);
        await CatchUpAsync(leader, follower2);
        Assert.Equal((ErrorCode.None, 3L), ((await accepted.WaitAsync(TimeSpan.FromSeconds(10))).Error, (await accepted).BaseOffset));
    }

    [Fact]
    public async Task AfterFailover_TheOldLeadersUnreplicatedTailIsCut_AndItsLogBecomesTheNewLeadersByteForByte()
    {
        var epoch0 = PartitionRegistration.New([1, 2, 3]);
        var oldLeader = new LeaderReplica(_logs[1], 1, epoch0, _time);
        var followers = new[] { new FollowerReplica(_logs[2], 2, 0), new FollowerReplica(_logs[3], 3, 0) };
        var committed = oldLeader.AppendAsync(Batches.Make(10, valueSize: 100), acks: -1, minInSyncReplicas: 2).AsTask();
        foreach (var follower in followers)
        {
            await CatchUpAsync(oldLeader, follower);
        }

        Assert.Equal(ErrorCode.None, (await committed).Error);

        // Written by the old leader alone (acks=1), then broker 1 stops: these records were never acknowledged to all.
        await oldLeader.AppendAsync(Batches.Make(6, first: 10, valueSize: 100), acks: 1, minInSyncReplicas: 2);
        var election = PartitionController.FenceBroker(epoch0, 1, _ => true);
        Assert.Equal((2, 1), (election.Registration.Leader, election.Registration.LeaderEpoch));

        var newLeader = new LeaderReplica(_logs[2], 2, election.Registration, _time);
        var follower3 = new FollowerReplica(_logs[3], 3, 1);
        await newLeader.AppendAsync(Batches.Make(4, first: 100, valueSize: 100), acks: 1, minInSyncReplicas: 1);
        await CatchUpAsync(newLeader, follower3);

        // Broker 1 comes back as a follower of epoch 1: its fetch with last epoch 0 past offset 10 is told where epoch 0 ended.
        var returning = new FollowerReplica(_logs[1], 1, 1);
        var answer = newLeader.Fetch(returning.NextFetch(1 << 20));
        Assert.Equal(new DivergingEpoch(0, 10), answer.Diverging);
        await returning.ApplyAsync(answer);
        Assert.Equal(10, _logs[1].LogEndOffset);
        await CatchUpAsync(newLeader, returning);

        Assert.Equal(AllBytes(_logs[2]), AllBytes(_logs[1]));
        Assert.Equal(AllBytes(_logs[2]), AllBytes(_logs[3]));
        Assert.Equal((1, 14L), _logs[1].EndOffsetForEpoch(1));
    }

    [Fact]
    public async Task AReplicaThatLedAnEpochWithoutWritingInIt_DropsThatEpoch_AndFollowsTheNextLeader()
    {
        var epoch0 = PartitionRegistration.New([1, 2, 3]);
        var first = new LeaderReplica(_logs[1], 1, epoch0, _time);
        var followers = new[] { new FollowerReplica(_logs[2], 2, 0), new FollowerReplica(_logs[3], 3, 0) };
        await first.AppendAsync(Batches.Make(10), acks: 1, minInSyncReplicas: 1);
        foreach (var follower in followers)
        {
            await CatchUpAsync(first, follower);
        }

        // Broker 3 is made leader at epoch 1 (its epoch starts at its log end, 10) but writes nothing before broker 2
        // leads at epoch 2 and writes from 10.
        var epoch1 = epoch0 with { Leader = 3, LeaderEpoch = 1, PartitionEpoch = 1 };
        _ = new LeaderReplica(_logs[3], 3, epoch1, _time);
        Assert.Equal(1, _logs[3].LatestEpoch);
        var epoch2 = epoch1 with { Leader = 2, LeaderEpoch = 2, PartitionEpoch = 2 };
        var second = new LeaderReplica(_logs[2], 2, epoch2, _time);
        await second.AppendAsync(Batches.Make(4, first: 10), acks: 1, minInSyncReplicas: 1);

        var follower3 = new FollowerReplica(_logs[3], 3, 2);
        await CatchUpAsync(second, follower3);

        Assert.Equal(AllBytes(_logs[2]), AllBytes(_logs[3]));
        Assert.Equal((2, 14L), _logs[3].EndOffsetForEpoch(2));
        Assert.Equal((0, 10L), _logs[3].EndOffsetForEpoch(1));
    }

    [Fact]
    public async Task ADeposedLeader_CannotAcknowledgeAcksAll_BecauseFollowersOfTheNewEpochDoNotFetchFromIt()
    {
        var epoch0 = PartitionRegistration.New([1, 2, 3]);
        var zombie = new LeaderReplica(_logs[1], 1, epoch0, _time);
        var election = PartitionController.FenceBroker(epoch0, 1, _ => true);
        var follower2 = new FollowerReplica(_logs[2], 2, election.Registration.LeaderEpoch);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var append = zombie.AppendAsync(Batches.Make(2), acks: -1, minInSyncReplicas: 2, timeout.Token).AsTask();
        var answer = zombie.Fetch(follower2.NextFetch(1 << 20));

        Assert.Equal(ErrorCode.UnknownLeaderEpoch, answer.Error);
        Assert.Equal(ErrorCode.UnknownLeaderEpoch, await follower2.ApplyAsync(answer));
        Assert.Equal(ErrorCode.RequestTimedOut, (await append).Error);
        Assert.Equal(0, _logs[1].HighWatermark);

        // And a replica that missed the election is fenced by the new leader.
        var newLeader = new LeaderReplica(_logs[2], 2, election.Registration, _time);
        var stale = new FollowerReplica(_logs[3], 3, leaderEpoch: 0);
        Assert.Equal(ErrorCode.FencedLeaderEpoch, newLeader.Fetch(stale.NextFetch(1 << 20)).Error);
    }

    [Fact]
    public async Task AFollowerBehindTheLeadersLogStart_StartsAgainThere()
    {
        var registration = PartitionRegistration.New([1, 2, 3]) with { Isr = [1, 2] };
        var leader = new LeaderReplica(_logs[1], 1, registration, _time);
        var follower2 = new FollowerReplica(_logs[2], 2, 0);
        for (var i = 0; i < 10; i++)
        {
            await leader.AppendAsync(Batches.Make(5, first: i * 5, valueSize: 100), acks: 1, minInSyncReplicas: 1);
        }

        await CatchUpAsync(leader, follower2);
        Assert.Equal(ErrorCode.None, _logs[1].DeleteRecordsBefore(30).Error);

        var late = new FollowerReplica(_logs[3], 3, 0);
        var answer = leader.Fetch(late.NextFetch(1 << 20));
        Assert.Equal(ErrorCode.OffsetOutOfRange, answer.Error);
        await late.ApplyAsync(answer);
        Assert.Equal((30L, 30L), (_logs[3].LogStartOffset, _logs[3].LogEndOffset));

        await CatchUpAsync(leader, late);
        Assert.Equal(50, _logs[3].LogEndOffset);
        Assert.Equal(_logs[1].Read(30, 1 << 20, toLogEnd: true).Records.ToArray(), _logs[3].Read(30, 1 << 20, toLogEnd: true).Records.ToArray());
    }

    [Fact]
    public async Task RecordsDeletedOnTheLeader_AreDeletedOnItsFollowers_WithTheirNextFetch()
    {
        var leader = new LeaderReplica(_logs[1], 1, PartitionRegistration.New([1, 2]), _time);
        var follower = new FollowerReplica(_logs[2], 2, 0);
        var append = leader.AppendAsync(Batches.Make(10), acks: -1, minInSyncReplicas: 1).AsTask();
        await CatchUpAsync(leader, follower);
        await append.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((ErrorCode.None, 6L), _logs[1].DeleteRecordsBefore(6));
        await CatchUpAsync(leader, follower);

        Assert.Equal(6, _logs[2].LogStartOffset);
        Assert.Equal(ErrorCode.OffsetOutOfRange, _logs[2].Read(5, 1 << 20).Error);
    }

    [Fact]
    public async Task AFollowerThatIsNotLive_IsNotProposedToJoin_AndAWithdrawnProposalNoLongerHoldsTheHighWatermark()
    {
        var registration = PartitionRegistration.New([1, 2, 3]) with { Isr = [1, 2] };
        var leader = new LeaderReplica(_logs[1], 1, registration, _time);
        var follower2 = new FollowerReplica(_logs[2], 2, 0);
        var follower3 = new FollowerReplica(_logs[3], 3, 0);
        await leader.AppendAsync(Batches.Make(5), acks: 1, minInSyncReplicas: 1);
        await CatchUpAsync(leader, follower2);
        await CatchUpAsync(leader, follower3);

        // Broker 3 caught up but is not live (paused, fenced): it is not proposed.
        Assert.Null(leader.ProposeIsrChange(30_000, b => b != 3));
        var proposal = leader.ProposeIsrChange(30_000, _ => true);
        Assert.Equal([1, 2, 3], proposal!.NewIsr);

        // While proposed, broker 3 holds the high watermark back; once the controller refuses, it no longer does.
        await leader.AppendAsync(Batches.Make(5, first: 5), acks: 1, minInSyncReplicas: 1);
        await CatchUpAsync(leader, follower2);
        Assert.Equal(5, _logs[1].HighWatermark);
        leader.WithdrawIsrProposal();
        Assert.Equal(10, _logs[1].HighWatermark);
    }

    /// <summary>What a replica fetcher does for one partition: fetch and apply until the follower has the leader's log end and high watermark.</summary>
    private static async Task CatchUpAsync(LeaderReplica leader, FollowerReplica follower)
    {
        for (var round = 0; round < 1_000; round++)
        {
            var answer = leader.Fetch(follower.NextFetch(2_000));
            Assert.Equal(ErrorCode.None, await follower.ApplyAsync(answer));
            if (answer.Records.IsEmpty && answer.Diverging is null && answer.Error == ErrorCode.None)
            {
                return;
            }
        }

        Assert.Fail("The follower did not catch up in 1,000 fetches.");
    }

    private static byte[] AllBytes(PartitionLog log) => log.Read(log.LogStartOffset, int.MaxValue, toLogEnd: true).Records.ToArray();
}
