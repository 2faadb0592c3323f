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
/// A follower that becomes leader knows the producers whose batches it copied: a producer's retry of a batch the old
/// leader wrote, and the follower copied, is answered as a duplicate, not written twice.
/// </summary>
public sealed class FollowerProducerStateTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task ARetryOfACopiedBatch_IsADuplicateOnTheFollowerTurnedLeader(bool reopened, bool oneFetch)
    {
        await using var leaderLog = PartitionLog.Open(_temp.Combine("leader", "t-0"), LogConfig.Default, lastShutdownWasClean: false, _time);
        var followerDirectory = _temp.Combine("follower", "t-0");
        var followerLog = PartitionLog.Open(followerDirectory, LogConfig.Default, lastShutdownWasClean: false, _time);
        var leader = new LeaderReplica(leaderLog, 1, PartitionRegistration.New([1, 2]), _time);
        var follower = new FollowerReplica(followerLog, 2, 0);
        for (var seq = 0; seq < 8; seq++)
        {
            await leader.AppendAsync(Batch(seq), acks: 1, minInSyncReplicas: 1);
            if (!oneFetch || seq == 7)
            {
                // One batch per fetch, or all eight in one fetch answer.
                Assert.Equal(ErrorCode.None, await follower.ApplyAsync(leader.Fetch(follower.NextFetch(1 << 20))));
            }
        }

        Assert.Equal(8, followerLog.LogEndOffset);

        await follower.StopAsync();
        if (reopened)
        {
            await followerLog.DisposeAsync();
            followerLog = PartitionLog.Open(followerDirectory, LogConfig.Default, lastShutdownWasClean: true, _time);
        }

        await using (followerLog)
        {
            followerLog.BecomeLeader(1);
            var retry = await followerLog.AppendAsync(Batch(7), AppendOrigin.Client);
            Assert.Equal(ErrorCode.None, retry.Error);
            Assert.Equal(7, retry.BaseOffset);
            Assert.Equal(8, followerLog.LogEndOffset);
        }
    }

    private static byte[] Batch(int sequence) =>
        new RecordBatchBuilder { ProducerId = 42, ProducerEpoch = 0, BaseSequence = sequence }.Append(1_700_000_000_000, null, [(byte)sequence]).Build();
}
