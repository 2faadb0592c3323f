using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.Benchmarks.Storage;

namespace Tributary.Tests.Benchmarks.Replication;

/// <summary>
/// The replication engine's cost, in one process and one run: 64 MiB appended with acks=all to a partition replicated
/// three times (the leader's log, and two followers whose replica fetchers copy it through the leader's fetch server,
/// long-polling) against the same bytes appended to one log alone (acks=1). Sixteen appends are in flight at a time,
/// as a producer's pipelined requests are. The Ratio column is the replicated time over the single log's: it counts
/// the two extra copies written (three times the bytes into the page cache) and the fetch path between them; no
/// network or grain calls are in it (those are measured on silos by the cluster perf tools).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class ReplicatedAppendBenchmarks
{
    private const long BytesPerOperation = 64L * 1024 * 1024;
    private const int InFlight = 16;

    private static readonly ReplicaKey Key = new("bench", 0);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _fetchers = [];
    private byte[] _batch = [];
    private string _directory = "";
    private PartitionLog _single = null!;
    private readonly PartitionLog[] _replicas = new PartitionLog[3];
    private LeaderReplica _leader = null!;

    [GlobalSetup]
    public void Setup()
    {
        _batch = BenchmarkData.Batch(1024 * 1024, 1024);
        _directory = BenchmarkData.NewDirectory("replicated");
        var config = LogConfig.Default with
        {
            MaxMessageBytes = 2 * 1024 * 1024,
            SegmentBytes = 256 * 1024 * 1024,
            RetentionBytes = 512L * 1024 * 1024,
            RetentionMs = -1,
            FileDeleteDelayMs = 0,
        };
        _single = PartitionLog.Open(Path.Combine(_directory, "single", "bench-0"), config, false);
        for (var broker = 1; broker <= 3; broker++)
        {
            _replicas[broker - 1] = PartitionLog.Open(Path.Combine(_directory, $"broker-{broker}", "bench-0"), config, false);
        }

        _leader = new LeaderReplica(_replicas[0], 1, PartitionRegistration.New([1, 2, 3]), TimeProvider.System);
        var leaders = new ConcurrentDictionary<ReplicaKey, LeaderReplica> { [Key] = _leader };
        for (var broker = 2; broker <= 3; broker++)
        {
            var fetcher = new ReplicaFetcher(new LocalReplicaSource(k => leaders.GetValueOrDefault(k)), new ReplicaFetcherOptions());
            fetcher.Add(Key, new FollowerReplica(_replicas[broker - 1], broker, leaderEpoch: 0));
            _fetchers.Add(Task.Run(() => fetcher.RunAsync(_stop.Token)));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        Task.WhenAll(_fetchers.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).GetAwaiter().GetResult();
        _single.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var log in _replicas)
        {
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        BenchmarkData.Delete(_directory);
    }

    [Benchmark(Baseline = true, Description = "one log, acks=1")]
    public void SingleLog() => Run(() => _single.AppendAsync(_batch.ToArray()).AsTask(), _single);

    [Benchmark(Description = "three replicas, acks=all")]
    public void ThreeReplicas() => Run(() => _leader.AppendAsync(_batch.ToArray(), acks: -1, minInSyncReplicas: 2).AsTask(), _replicas);

    private static void Run(Func<Task<LogAppendResult>> append, params PartitionLog[] logs)
    {
        var inFlight = new Queue<Task<LogAppendResult>>();
        for (long written = 0; written < BytesPerOperation; written += 1024 * 1024)
        {
            if (inFlight.Count == InFlight)
            {
                Check(inFlight.Dequeue().GetAwaiter().GetResult());
            }

            inFlight.Enqueue(append());
        }

        while (inFlight.Count > 0)
        {
            Check(inFlight.Dequeue().GetAwaiter().GetResult());
        }

        foreach (var log in logs)
        {
            log.EnforceRetention();
        }
    }

    private static void Check(LogAppendResult result)
    {
        if (result.Error != ErrorCode.None)
        {
            throw new InvalidOperationException($"{result.Error}: {result.ErrorMessage}");
        }
    }
}
