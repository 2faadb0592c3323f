using System.Diagnostics;
using Confluent.Kafka;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Cluster;

/// <summary>
/// How long a new silo takes to get its share of existing data: a 3-silo Redis cluster holds N GB in an RF=3 topic
/// (written with acks=all); a fourth silo starts and the cluster's own balancing (<c>Tributary:Cluster:AutoBalance</c>,
/// its defaults unless told otherwise) moves replicas and leaderships until each broker has an even share, all in sync.
/// Reported: the time from the silo's start to the balanced state, the bytes it received and their rate, against the
/// disk's raw write rate measured in the same run.
/// </summary>
internal static class BalancePerf
{
    private const string Topic = "balance-perf";

    public static async Task<List<(string What, string Value, string Against)>> RunAsync(Arguments arguments)
    {
        var gigabytes = arguments.Double("gigabytes", 10);
        var partitions = arguments.Int("partitions", 24);
        var recordSize = arguments.Int("record-size", 16_384);
        var interval = arguments.String("interval", "");
        var figures = new List<(string, string, string)>();
        var root = Path.Combine(Path.GetTempPath(), "tributary-balance-perf-" + Guid.NewGuid().ToString("N"));
        try
        {
            var disk = RawFileWrite.Measure();
            figures.Add(("raw disk: 1 GiB written sequentially in 1 MiB writes", $"{disk:F0} MB/s", "baseline"));

            var environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
            if (interval.Length > 0)
            {
                environment["Tributary__Cluster__AutoBalanceInterval"] = interval;
            }

            await using var redis = await RedisServer.StartAsync();
            await using var cluster = new SiloCluster(SiloCluster.Redis(redis), environment, root);
            await cluster.StartAsync(1, 2, 3);
            await PerfTopics.EnsureAsync(cluster.BootstrapServers, Topic, partitions, replicationFactor: 3);
            var records = (long)(gigabytes * 1e9 / recordSize);
            var produced = ProducerPerf.Run(cluster.BootstrapServers, Topic, records, recordSize, Acks.All, 5);
            figures.Add(($"{gigabytes:F1} GB into {partitions} RF=3 partitions on 3 silos, acks=all, {recordSize} B records",
                $"{produced.MegabytesPerSecond:F1} MB/s", $"{produced.Seconds:F0} s"));

            var cpuBefore = cluster.Silos.ToDictionary(s => s.Key, s => s.Value.CpuTime);
            var watch = Stopwatch.StartNew();
            await cluster.StartSiloAsync(4);
            cpuBefore[4] = TimeSpan.Zero;
            var firstMove = TimeSpan.Zero;
            var balanced = TimeSpan.Zero;
            var deadline = TimeSpan.FromMinutes(60);
            while (watch.Elapsed < deadline)
            {
                var state = Describe(cluster.Silos[1].BootstrapServers, partitions);
                if (firstMove == TimeSpan.Zero && state.Any(p => p.Replicas.Contains(4)))
                {
                    firstMove = watch.Elapsed;
                }

                if (IsBalanced(state, partitions))
                {
                    balanced = watch.Elapsed;
                    break;
                }

                await Task.Delay(500);
            }

            var cpu = string.Join(", ", cluster.Silos.OrderBy(s => s.Key).Select(s => $"broker {s.Key} {(s.Value.CpuTime - cpuBefore[s.Key]).TotalSeconds:F0} CPU-s"));
            if (balanced == TimeSpan.Zero)
            {
                figures.Add(("broker 4 joins", "not balanced within 60 minutes", cpu));
                return figures;
            }

            var moved = DirectoryBytes(cluster.DataDirectory(4));
            var copying = balanced - firstMove;
            figures.Add(("broker 4 joins: its even share of replicas and leaders, all in sync",
                $"{balanced.TotalSeconds:F1} s after it started (first replica assigned to it after {firstMove.TotalSeconds:F1} s)",
                $"{moved / 1e9:F2} GB copied to it, {moved / 1e6 / Math.Max(copying.TotalSeconds, 0.001):F0} MB/s from its first replica to balance = {moved / 1e6 / Math.Max(copying.TotalSeconds, 0.001) / disk:F2} x raw disk; {cpu}"));
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

    private static List<PartitionMetadata> Describe(string bootstrap, int partitions)
    {
        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
            return admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        }
        catch (KafkaException)
        {
            return [];
        }
    }

    /// <summary>Every broker holds its share of replicas and leads its share of partitions (each within one), all replicas in sync.</summary>
    private static bool IsBalanced(List<PartitionMetadata> state, int partitions)
    {
        int[] brokers = [1, 2, 3, 4];
        var replicas = partitions * 3 / (double)brokers.Length;
        var leaders = partitions / (double)brokers.Length;
        return state.Count == partitions
            && state.All(p => p.Replicas.Length == 3 && p.InSyncReplicas.Length == 3)
            && brokers.All(b => Math.Abs(state.Count(p => p.Replicas.Contains(b)) - replicas) < 1
                && Math.Abs(state.Count(p => p.Leader == b) - leaders) < 1);
    }

    private static long DirectoryBytes(string directory) =>
        Directory.Exists(directory) ? new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}
