using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Config;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Replication;

/// <summary>
/// Kafka's replication throttles: a byte rate over a sliding window, and a leader that sends a catching-up follower of a
/// throttled replica nothing while the rate is exceeded, but never holds back a follower in the ISR.
/// </summary>
public sealed class ReplicationThrottleTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheRate_IsMeasuredOverAtLeastAllButOneWindow_AndFallsAsWindowsPass()
    {
        var quota = new ReplicationQuota(() => 1_000, windows: 11, TimeSpan.FromSeconds(1), _time);

        quota.Record(9_000);
        Assert.Equal(900, quota.Rate());
        Assert.False(quota.IsExceeded());

        quota.Record(2_000);
        Assert.True(quota.IsExceeded());

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, quota.Rate());
        Assert.False(quota.IsExceeded());
    }

    [Fact]
    public void NoLimit_IsNeverExceeded()
    {
        var quota = new ReplicationQuota(() => long.MaxValue, time: _time);
        quota.Record(long.MaxValue / 2);
        Assert.False(quota.IsExceeded());
    }

    [Theory]
    [InlineData("*", 7, 9, true)]
    [InlineData("0:1,1:2", 1, 2, true)]
    [InlineData("0:1,1:2", 1, 1, false)]
    [InlineData("", 0, 1, false)]
    public void ThrottledReplicas_AreTheWildcardOrPartitionBrokerPairs(string value, int partition, int broker, bool throttled)
    {
        Assert.Null(ThrottledReplicas.Validate(value));
        var configs = new Dictionary<string, string> { [TopicConfigs.LeaderReplicationThrottledReplicas] = value };
        Assert.Equal(throttled, ThrottledReplicas.Of(configs, TopicConfigs.LeaderReplicationThrottledReplicas).Contains(partition, broker));
    }

    [Theory]
    [InlineData("0-1")]
    [InlineData("0:1,*")]
    [InlineData("a:b")]
    public void AMalformedList_IsRefusedWithKafkasMessage(string value) =>
        Assert.Contains("must be the literal '*'", ThrottledReplicas.Validate(value));

    [Fact]
    public async Task AThrottledLeader_SendsACatchingUpFollowerNothingOverTheRate_ButAlwaysServesTheIsr()
    {
        await using var leaderLog = Open(1);
        await using var newLog = Open(2);
        await using var isrLog = Open(3);

        // Broker 2 is being added (out of the ISR), broker 3 is in sync.
        var registration = PartitionRegistration.New([1, 3]) with { Replicas = [1, 3, 2], AddingReplicas = [2] };
        var leader = new LeaderReplica(leaderLog, 1, registration, _time) { ReplicationThrottled = true };
        for (var i = 0; i < 5; i++)
        {
            await leader.AppendAsync(Batches.Make(10, first: i * 10, valueSize: 200), acks: 1, minInSyncReplicas: 1);
        }

        var quota = new ReplicationQuota(() => 100, time: _time);
        var adding = new FollowerReplica(newLog, 2, 0);
        var inSync = new FollowerReplica(isrLog, 3, 0);

        // Within the quota, the first fetch gets data; past it, the catching-up follower gets none, the ISR member all.
        var first = await FetchAsync(leader, adding, quota);
        Assert.False(first.Records.IsEmpty);
        Assert.True(quota.IsExceeded());
        var held = await FetchAsync(leader, adding, quota);
        Assert.True(held.Records.IsEmpty);
        Assert.Equal(ErrorCode.None, held.Error);
        var served = await FetchAsync(leader, inSync, quota);
        Assert.False(served.Records.IsEmpty);

        // The window moves on: the follower is served again.
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.False((await FetchAsync(leader, adding, quota)).Records.IsEmpty);
    }

    private async Task<ReplicaFetchResponse> FetchAsync(LeaderReplica leader, FollowerReplica follower, ReplicationQuota quota)
    {
        var answers = await ReplicaFetchServer.FetchAsync(
            [new PartitionFetch(leader, follower.NextFetch(1_000))], TimeSpan.FromMilliseconds(50), 1 << 20, CancellationToken.None, quota);
        var answer = Assert.Single(answers);
        Assert.Equal(ErrorCode.None, await follower.ApplyAsync(answer));
        return answer;
    }

    private PartitionLog Open(int broker) =>
        PartitionLog.Open(_temp.Combine($"broker-{broker}", "t-0"), LogConfig.Default, lastShutdownWasClean: false, _time);
}
