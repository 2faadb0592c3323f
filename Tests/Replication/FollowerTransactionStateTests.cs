using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Replication;

/// <summary>
/// A follower that becomes leader knows the open transactions whose batches it copied: its last stable offset stops at
/// an open transaction's first batch, and when the coordinator aborts that transaction on it, read_committed reads list
/// the transaction as aborted, so the aborted records are never taken for committed ones.
/// </summary>
public sealed class FollowerTransactionStateTests : IDisposable
{
    private const long ProducerId = 42;

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnOpenTransactionCopiedByAFollower_IsAbortedOnItAsLeader_AndListedAsAborted(bool reopened)
    {
        await using var leaderLog = PartitionLog.Open(_temp.Combine("leader", "t-0"), LogConfig.Default, lastShutdownWasClean: false, _time);
        var followerDirectory = _temp.Combine("follower", "t-0");
        var followerLog = PartitionLog.Open(followerDirectory, LogConfig.Default, lastShutdownWasClean: false, _time);
        var leader = new LeaderReplica(leaderLog, 1, PartitionRegistration.New([1, 2]), _time);
        var follower = new FollowerReplica(followerLog, 2, 0);

        // A committed transaction (offsets 0-1 and its marker at 2), then an open one from offset 3.
        await leader.AppendAsync(Transactional(0), acks: 1, minInSyncReplicas: 1);
        await leader.AppendAsync(Transactional(1), acks: 1, minInSyncReplicas: 1);
        await leader.AppendAsync(Marker(commit: true), acks: 1, minInSyncReplicas: 1, origin: AppendOrigin.Coordinator);
        await leader.AppendAsync(Transactional(2), acks: 1, minInSyncReplicas: 1);
        await leader.AppendAsync(Transactional(3), acks: 1, minInSyncReplicas: 1);
        Assert.Equal(ErrorCode.None, await follower.ApplyAsync(leader.Fetch(follower.NextFetch(1 << 20))));
        Assert.Equal(5, followerLog.LogEndOffset);

        await follower.StopAsync();
        if (reopened)
        {
            await followerLog.DisposeAsync();
            followerLog = PartitionLog.Open(followerDirectory, LogConfig.Default, lastShutdownWasClean: true, _time);
        }

        await using (followerLog)
        {
            followerLog.BecomeLeader(1);
            var newLeader = new LeaderReplica(followerLog, 2, PartitionRegistration.New([2]), _time);
            Assert.Equal(3, followerLog.LastStableOffset);

            var abort = await newLeader.AppendAsync(Marker(commit: false), acks: 1, minInSyncReplicas: 1, origin: AppendOrigin.Coordinator);
            Assert.Equal(ErrorCode.None, abort.Error);
            Assert.Equal(6, followerLog.LastStableOffset);
            var aborted = followerLog.CollectAbortedTransactions(0, followerLog.LogEndOffset);
            Assert.Equal([(ProducerId, 3L)], aborted.Select(a => (a.ProducerId, a.FirstOffset)));
        }
    }

    private static byte[] Transactional(int sequence) =>
        new RecordBatchBuilder { ProducerId = ProducerId, ProducerEpoch = 0, BaseSequence = sequence, IsTransactional = true }
            .Append(1_700_000_000_000, null, [(byte)sequence]).Build();

    private static byte[] Marker(bool commit) => new TransactionMarker(commit, 0).Build(ProducerId, 0, 1_700_000_000_000);
}
