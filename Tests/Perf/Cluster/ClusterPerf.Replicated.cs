using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Cluster;

/// <summary>
/// Replication on the three-silo cluster: acks=all throughput and CPU per GB with three replicas against one in the
/// same run; one-at-a-time produce latency at both; and the failover of a replicated partition: from <c>kill -9</c> of
/// its leader to the first acknowledged record on each partition it led (new leaders elected from the ISR), after
/// which the broker is started again and waited for until it is back in every ISR.
/// </summary>
internal static partial class ClusterPerf
{
    private const string ReplicatedTopic = "cluster-perf-rf3";

    private static async Task<List<(string, string, string)>> ReplicatedAsync(
        SiloCluster cluster, int partitions, int records, int recordSize, IReadOnlyList<(string Name, Func<TimeSpan> Cpu)> processes,
        double unreplicated, double unreplicatedPerGb)
    {
        var figures = new List<(string, string, string)>();
        var (replicated, cpu, perGb) = await ProduceAsync(cluster.BootstrapServers, ReplicatedTopic, 3, partitions, records, recordSize, processes);
        figures.Add(("3-silo cluster, RF=3 (min.insync.replicas 1), acks=all", $"{replicated:F1} MB/s = {replicated / unreplicated:F2} x RF=1",
            $"CPU {cpu}; {perGb:F1} CPU-s per GB = {perGb / unreplicatedPerGb:F2} x RF=1"));

        var one = await ProducerPerf.LatencyAsync(cluster.BootstrapServers, Topic, 2_000, recordSize, Acks.All);
        var three = await ProducerPerf.LatencyAsync(cluster.BootstrapServers, ReplicatedTopic, 2_000, recordSize, Acks.All);
        figures.Add(("produce latency one at a time, acks=all, p50 / p99", $"RF=3 {Ms(three.P50)} / {Ms(three.P99)} ms", $"RF=1 {Ms(one.P50)} / {Ms(one.P99)} ms"));

        figures.Add(await ReplicatedFailoverAsync(cluster, partitions));
        return figures;
    }

    private static string Ms(double microseconds) => (microseconds / 1000).ToString("F2", CultureInfo.InvariantCulture);

    private static async Task<(string, string, string)> ReplicatedFailoverAsync(SiloCluster cluster, int partitions)
    {
        Dictionary<int, int> leaders;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            leaders = admin.GetMetadata(ReplicatedTopic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.ToDictionary(p => p.PartitionId, p => p.Leader);
        }

        var victim = leaders[0];
        var led = leaders.Where(l => l.Value == victim).Select(l => l.Key).ToHashSet();
        var firstAck = new ConcurrentDictionary<int, long>();
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            Acks = Acks.All,
            LingerMs = 0,
            MessageTimeoutMs = 60_000,
            TopicMetadataRefreshIntervalMs = 1000,
        }).Build();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var killedAt = long.MaxValue;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var partition = i % partitions;
                var sentAt = clock.ElapsedTicks;
                producer.Produce(new TopicPartition(ReplicatedTopic, partition), new Message<Null, byte[]> { Value = new byte[100] }, report =>
                {
                    if (!report.Error.IsError && sentAt > Interlocked.Read(ref killedAt))
                    {
                        firstAck.TryAdd(partition, clock.ElapsedTicks);
                    }
                });
                await Task.Delay(1);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        Interlocked.Exchange(ref killedAt, clock.ElapsedTicks);
        await cluster.KillAsync(victim);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (led.Any(p => !firstAck.ContainsKey(p)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await writer;
        producer.Flush(TimeSpan.FromSeconds(10));
        double After(long ticks) => (ticks - killedAt) * 1000.0 / Stopwatch.Frequency;
        var slowest = led.Select(p => firstAck.TryGetValue(p, out var at) ? After(at) : double.NaN).Max();

        // Back for the measurements after this one, in every ISR again.
        await cluster.StartSiloAsync(victim);
        await SiloCluster.WaitForBrokersAsync(cluster.KafkaPort(victim), [1, 2, 3], TimeSpan.FromSeconds(60));
        return ($"kill -9 of broker {victim}, leader of {led.Count} RF=3 partitions: first acknowledged record on each new leader",
            double.IsNaN(slowest) ? "not within 60 s" : $"{slowest:F0} ms after the kill (the slowest partition)",
            "membership ProbeTimeout 2 s, NumMissedProbesLimit 2; new leaders elected from the ISR");
    }
}
