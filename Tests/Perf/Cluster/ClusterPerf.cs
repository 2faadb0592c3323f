using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Cluster;

/// <summary>
/// The cluster measured against one silo in the same run: acks=all produce throughput of the embedded single silo and
/// of three silo processes joined through Redis (all on this machine's cores, so a ratio and the CPU each process used,
/// not a scaling claim); on the cluster, three replicas against one (throughput, CPU per GB, one-at-a-time latency)
/// and the failover of a replicated partition's leader; then how long clients stop producing to the surviving silos'
/// partitions when one silo is killed with kill -9.
/// </summary>
internal static partial class ClusterPerf
{
    private const string Topic = "cluster-perf";

    public static async Task<List<(string What, string Value, string Against)>> RunAsync(Arguments arguments)
    {
        var records = arguments.Int("records", 200_000);
        var recordSize = arguments.Int("record-size", 1024);
        var partitions = arguments.Int("partitions", 12);
        var figures = new List<(string, string, string)>();
        var root = Path.Combine(Path.GetTempPath(), "tributary-cluster-perf-" + Guid.NewGuid().ToString("N"));
        try
        {
            double single;
            await using (var silo = await SiloLauncher.StartAsync(Path.Combine(root, "single"), Quiet))
            {
                var (throughput, cpu, _) = await ProduceAsync(silo.BootstrapServers, Topic, 1, partitions, records, recordSize, [("silo", () => silo.CpuTime)]);
                single = throughput;
                figures.Add(("single silo, acks=all", $"{throughput:F1} MB/s", $"CPU {cpu}"));
            }

            await using var redis = await RedisServer.StartAsync();
            await using var cluster = new SiloCluster(["--membership", "Redis", "--cluster-connection", redis.ConnectionString], Quiet, Path.Combine(root, "cluster"));
            await cluster.StartAsync(1, 2, 3);
            var processes = cluster.Silos.Select(s => ($"broker {s.Key}", (Func<TimeSpan>)(() => s.Value.CpuTime)))
                .Append(("redis", () => redis.CpuTime)).ToList();
            var (clustered, clusterCpu, perGb) = await ProduceAsync(cluster.BootstrapServers, Topic, 1, partitions, records, recordSize, processes);
            figures.Add(("3-silo cluster, RF=1, acks=all", $"{clustered:F1} MB/s = {clustered / single:F2} x single silo", $"CPU {clusterCpu}; {perGb:F1} CPU-s per GB"));
            figures.AddRange(await ReplicatedAsync(cluster, partitions, records, recordSize, processes, clustered, perGb));

            figures.AddRange(await FailoverAsync(cluster, partitions));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        return figures;
    }

    private static Dictionary<string, string> Quiet => new() { ["Logging__LogLevel__Default"] = "Warning" };

    /// <summary>Produces with acks=all: MB/s, each process's CPU as a share of one core, and the processes' CPU-seconds per GB produced.</summary>
    private static async Task<(double MegabytesPerSecond, string Cpu, double CpuSecondsPerGigabyte)> ProduceAsync(
        string bootstrap, string topic, short replicationFactor, int partitions, int records, int recordSize, IReadOnlyList<(string Name, Func<TimeSpan> Cpu)> processes)
    {
        await PerfTopics.EnsureAsync(bootstrap, topic, partitions, replicationFactor);
        ProducerPerf.Run(bootstrap, topic, Math.Min(records / 10, 20_000), recordSize, Acks.All, 5);
        var before = processes.Select(p => p.Cpu()).ToList();
        var watch = Stopwatch.StartNew();
        var result = ProducerPerf.Run(bootstrap, topic, records, recordSize, Acks.All, 5);
        var seconds = watch.Elapsed.TotalSeconds;
        var used = processes.Select((p, i) => (p.Cpu() - before[i]).TotalSeconds).ToList();
        var cpu = string.Join(", ", processes.Select((p, i) => $"{p.Name} {used[i] / seconds * 100:F0}%"));
        return (result.MegabytesPerSecond, cpu + " of one core", used.Sum() / (records * (double)recordSize / 1e9));
    }

    /// <summary>
    /// A producer writes to every partition at a steady rate; one silo is killed. Measured: the longest pause between
    /// acknowledgements from the surviving partitions around the kill, when the first record sent after the kill to a
    /// surviving partition was acknowledged, and when Metadata stopped naming the dead broker.
    /// </summary>
    private static async Task<List<(string, string, string)>> FailoverAsync(SiloCluster cluster, int partitions)
    {
        const int victim = 3;
        var leaders = new Dictionary<int, int>();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            foreach (var partition in admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions)
            {
                leaders[partition.PartitionId] = partition.Leader;
            }
        }

        var acks = new ConcurrentQueue<(long SentAt, long AckedAt)>();
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            Acks = Acks.All,
            LingerMs = 0,
            MessageTimeoutMs = 60_000,
        }).Build();
        var survivors = leaders.Where(l => l.Value != victim).Select(l => l.Key).ToArray();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var partition = i % partitions;
                var sentAt = clock.ElapsedTicks;
                var survivor = leaders[partition] != victim;
                producer.Produce(new TopicPartition(Topic, partition), new Message<Null, byte[]> { Value = new byte[100] }, report =>
                {
                    if (survivor && !report.Error.IsError)
                    {
                        acks.Enqueue((sentAt, clock.ElapsedTicks));
                    }
                });
                await Task.Delay(1);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        var killedAt = clock.ElapsedTicks;
        await cluster.KillAsync(victim);
        var dropped = await WaitForBrokersAsync(cluster, [1, 2], clock);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await writer;
        producer.Flush(TimeSpan.FromSeconds(5));

        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        var acked = acks.OrderBy(a => a.AckedAt).ToList();
        var firstAfter = acked.FirstOrDefault(a => a.SentAt > killedAt);
        var window = acked.Where(a => a.AckedAt > killedAt - Stopwatch.Frequency).Select(a => a.AckedAt).ToList();
        var longestPause = window.Zip(window.Skip(1), (a, b) => b - a).DefaultIfEmpty(0).Max();
        return
        [
            ("kill -9 of broker 3: first record sent after the kill to a surviving partition acknowledged",
                firstAfter == default ? "never" : $"{Ms(firstAfter.AckedAt - killedAt):F0} ms after the kill",
                $"longest pause between acknowledgements from surviving partitions {Ms(longestPause):F0} ms ({survivors.Length} partitions, one record per ms)"),
            ("kill -9 of broker 3: Metadata stops naming it", $"{Ms(dropped - killedAt):F0} ms after the kill", "membership ProbeTimeout 2 s, NumMissedProbesLimit 2"),
        ];
    }

    private static async Task<long> WaitForBrokersAsync(SiloCluster cluster, int[] expected, Stopwatch clock)
    {
        await SiloCluster.WaitForBrokersAsync(cluster.KafkaPort(1), expected, TimeSpan.FromSeconds(60));
        return clock.ElapsedTicks;
    }
}
