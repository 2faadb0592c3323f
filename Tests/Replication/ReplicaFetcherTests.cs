using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Replication;

/// <summary>
/// Replica fetchers running against a leader broker's fetch server, on real logs: one request per round carries every
/// partition, acks=all appends complete as the fetchers copy them, idle partitions are long-polled rather than
/// busy-fetched, and a partition whose leader moved leaves its fetcher and is reported while the others go on.
/// </summary>
public sealed class ReplicaFetcherTests : IAsyncDisposable
{
    private static readonly ReplicaKey P0 = new("t", 0);
    private static readonly ReplicaKey P1 = new("t", 1);

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly Dictionary<(int Broker, ReplicaKey Key), PartitionLog> _logs = [];
    private readonly ConcurrentDictionary<ReplicaKey, LeaderReplica> _leadersOnBroker1 = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    public ReplicaFetcherTests()
    {
        foreach (var broker in new[] { 1, 2, 3 })
        {
            foreach (var key in new[] { P0, P1 })
            {
                _logs[(broker, key)] = PartitionLog.Open(_temp.Combine($"b{broker}", $"{key.Topic}-{key.Partition}"), LogConfig.Default, false, _time);
            }
        }

        foreach (var key in new[] { P0, P1 })
        {
            _leadersOnBroker1[key] = new LeaderReplica(_logs[(1, key)], 1, PartitionRegistration.New([1, 2, 3]), _time);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (var log in _logs.Values)
        {
            await log.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task AcksAllAppends_CompleteAsTheFetchersCopyThem_AndEveryReplicaEndsIdentical()
    {
        var fetchers = new[] { StartFetcher(2, new ReplicaFetcherOptions()), StartFetcher(3, new ReplicaFetcherOptions()) };
        for (var i = 0; i < 100; i++)
        {
            var key = i % 2 == 0 ? P0 : P1;
            var result = await _leadersOnBroker1[key].AppendAsync(Batches.Make(3, first: i * 3), acks: -1, minInSyncReplicas: 3)
                .AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(ErrorCode.None, result.Error);
        }

        foreach (var key in new[] { P0, P1 })
        {
            Assert.Equal(150, _logs[(1, key)].HighWatermark);
            var leaderBytes = AllBytes(_logs[(1, key)]);
            Assert.Equal(leaderBytes, AllBytes(_logs[(2, key)]));
            Assert.Equal(leaderBytes, AllBytes(_logs[(3, key)]));
        }

        Assert.All(fetchers, f => Assert.Equal(2, f.PartitionCount));
    }

    [Fact]
    public async Task TheResponseBudget_GivesTheFirstPartitionOneWholeBatch_AndTheOthersNone_AndEveryPartitionGetsItsTurn()
    {
        foreach (var key in new[] { P0, P1 })
        {
            for (var i = 0; i < 3; i++)
            {
                await _leadersOnBroker1[key].AppendAsync(Batches.Make(4, first: i * 4, valueSize: 200), acks: 1, minInSyncReplicas: 1);
            }
        }

        var followers = new[] { new FollowerReplica(_logs[(2, P0)], 2, 0), new FollowerReplica(_logs[(2, P1)], 2, 0) };
        var answers = await ReplicaFetchServer.FetchAsync(
            [new PartitionFetch(_leadersOnBroker1[P0], followers[0].NextFetch(1 << 20)), new PartitionFetch(_leadersOnBroker1[P1], followers[1].NextFetch(1 << 20))],
            TimeSpan.Zero, responseMaxBytes: 1, CancellationToken.None);
        Assert.Equal(4, Batches.Decode(answers[0].Records).Count);
        Assert.True(answers[1].Records.IsEmpty);

        // Through a fetcher with the same budget the partitions take turns at the front, and both are copied whole.
        StartFetcher(3, new ReplicaFetcherOptions { ResponseMaxBytes = 1, MaxWait = TimeSpan.FromMilliseconds(50) });
        await WaitUntilAsync(() => _logs[(3, P0)].LogEndOffset == 12 && _logs[(3, P1)].LogEndOffset == 12);
        Assert.Equal(AllBytes(_logs[(1, P1)]), AllBytes(_logs[(3, P1)]));
    }

    [Fact]
    public async Task IdlePartitions_AreLongPolled_NotFetchedInABusyLoop()
    {
        var fetcher = StartFetcher(2, new ReplicaFetcherOptions { MaxWait = TimeSpan.FromMilliseconds(200) });
        await WaitUntilAsync(() => fetcher.Rounds >= 1);
        var before = fetcher.Rounds;
        await Task.Delay(TimeSpan.FromSeconds(1));

        // A busy loop would run thousands of rounds in a second; long polls of 200 ms run about five (fewer on a busy machine).
        Assert.InRange(fetcher.Rounds - before, 0, 15);
        var appended = await _leadersOnBroker1[P1].AppendAsync(Batches.Make(1), acks: 1, minInSyncReplicas: 1);
        Assert.Equal(ErrorCode.None, appended.Error);
        await WaitUntilAsync(() => _logs[(2, P1)].LogEndOffset == 1);
    }

    [Fact]
    public async Task TwoFollowersOfIdlePartitions_DoNotWakeEachOther_IntoABusyLoop()
    {
        // Each follower's fetch tells the leader what it holds; that must not end the other follower's long poll.
        var options = new ReplicaFetcherOptions { MaxWait = TimeSpan.FromMilliseconds(200) };
        var fetchers = new[] { StartFetcher(2, options), StartFetcher(3, options) };
        await WaitUntilAsync(() => fetchers.All(f => f.Rounds >= 1));
        var before = fetchers.Select(f => f.Rounds).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.All(fetchers.Select((f, i) => f.Rounds - before[i]), rounds => Assert.InRange(rounds, 0, 15));
        var appended = await _leadersOnBroker1[P0].AppendAsync(Batches.Make(2), acks: -1, minInSyncReplicas: 3).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorCode.None, appended.Error);
        Assert.Equal(2, _logs[(1, P0)].HighWatermark);
    }

    [Fact]
    public async Task APartitionWhoseLeaderMoved_LeavesTheFetcherAndIsReported_WhileTheOthersGoOn()
    {
        var failed = new TaskCompletionSource<(ReplicaKey, ErrorCode)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetcher = StartFetcher(3, new ReplicaFetcherOptions { MaxWait = TimeSpan.FromMilliseconds(100) }, f => f.PartitionFailed += (key, error) => failed.TrySetResult((key, error)));

        // Broker 1 stops leading partition 0 (its leadership moved elsewhere).
        Assert.True(_leadersOnBroker1.TryRemove(P0, out _));

        Assert.Equal((P0, ErrorCode.NotLeaderOrFollower), await failed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, fetcher.PartitionCount);
        await _leadersOnBroker1[P1].AppendAsync(Batches.Make(2), acks: 1, minInSyncReplicas: 1);
        await WaitUntilAsync(() => _logs[(3, P1)].LogEndOffset == 2);
    }

    private ReplicaFetcher StartFetcher(int broker, ReplicaFetcherOptions options, Action<ReplicaFetcher>? configure = null)
    {
        var fetcher = new ReplicaFetcher(new LocalReplicaSource(k => _leadersOnBroker1.GetValueOrDefault(k)), options);
        configure?.Invoke(fetcher);
        foreach (var key in new[] { P0, P1 })
        {
            fetcher.Add(key, new FollowerReplica(_logs[(broker, key)], broker, leaderEpoch: 0));
        }

        _running.Add(Task.Run(() => fetcher.RunAsync(_stop.Token)));
        return fetcher;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 s.");
            await Task.Delay(10);
        }
    }

    private static byte[] AllBytes(PartitionLog log) => log.Read(log.LogStartOffset, int.MaxValue, toLogEnd: true).Records.ToArray();
}
