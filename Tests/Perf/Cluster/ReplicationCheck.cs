using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Cluster;

/// <summary>
/// A checker in the manner of Jepsen's Kafka tests, on three silo processes joined through Redis: an idempotent acks=all
/// producer and a read_committed consumer group work on a topic replicated three times (min.insync.replicas 2) while,
/// round after round, one broker is killed with <c>kill -9</c> (every broker leads some partitions and follows
/// others), or paused with SIGSTOP past failure detection and resumed (a zombie leader, which finds itself declared
/// dead and stops), or killed and started with an empty data directory (a lost disk); after each, the broker is
/// started again and waited for until it is back in every ISR. At the end every acknowledged record must be read back
/// once, at its offset, in order; the consumer must have caught up; and the high watermark it saw must never have gone
/// back.
/// </summary>
internal static class ReplicationCheck
{
    private const string Topic = "checked";

    private enum Fault
    {
        Kill,
        Pause,
        LostDisk,
    }

    public static async Task<int> RunAsync(Arguments arguments)
    {
        var rounds = arguments.Int("rounds", 12);
        var partitions = arguments.Int("partitions", 6);
        var root = Path.Combine(Path.GetTempPath(), "tributary-replication-check-" + Guid.NewGuid().ToString("N"));
        var quiet = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
        try
        {
            await using var redis = await RedisServer.StartAsync();
            await using var cluster = new SiloCluster(SiloCluster.Redis(redis), quiet, root);
            await cluster.StartAsync(1, 2, 3);
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification
                {
                    Name = Topic,
                    NumPartitions = partitions,
                    ReplicationFactor = 3,
                    Configs = new Dictionary<string, string> { ["min.insync.replicas"] = "2" },
                }]);
            }

            await WaitForIsrAsync(cluster.BootstrapServers, partitions);
            await using var load = new AcknowledgedLoad(cluster.BootstrapServers, Topic, partitions);
            using var consumer = new CommittedReader(cluster.BootstrapServers, Topic);
            await Task.Delay(2000);

            for (var round = 1; round <= rounds; round++)
            {
                var fault = round % 4 == 0 ? Fault.Pause : round % 6 == 5 ? Fault.LostDisk : Fault.Kill;
                var leaders = Leaders(cluster.BootstrapServers);
                var victim = leaders[Random.Shared.Next(partitions)];
                var led = leaders.Where(l => l.Value == victim).Select(l => l.Key).ToList();
                var silo = cluster.Silos[victim];
                load.Mark();
                if (fault == Fault.Pause)
                {
                    silo.Pause();
                }
                else
                {
                    await cluster.KillAsync(victim);
                }

                await load.WaitForAcknowledgementsAsync(led, TimeSpan.FromSeconds(60));
                var failover = led.Select(p => load.FirstAckAfterMark.TryGetValue(p, out var ms) ? ms : -1).DefaultIfEmpty(0).Max();
                if (fault == Fault.Pause)
                {
                    await Task.Delay(2000);
                    silo.Resume();
                    await Task.Delay(3000);
                    await cluster.KillAsync(victim);
                }

                if (fault == Fault.LostDisk)
                {
                    cluster.WipeData(victim);
                }

                await cluster.StartSiloAsync(victim);
                var restarted = Stopwatch.StartNew();
                await WaitForIsrAsync(cluster.BootstrapServers, partitions);
                Console.WriteLine($"round {round,2}: {fault,-8} broker {victim} (led [{string.Join(",", led)}]): first acknowledgement on its partitions' new leaders " +
                    $"{(failover < 0 ? "never" : $"{failover} ms")} after; back in every ISR {restarted.ElapsedMilliseconds} ms after its restart");
            }

            await load.StopAsync();
            var caughtUp = await consumer.WaitForAsync(load.Acknowledged.Count, TimeSpan.FromSeconds(60));
            var check = load.Check(cluster.BootstrapServers);
            Console.WriteLine($"producer: {check}; {load.Failures.Count} delivery failures");
            Console.WriteLine($"read_committed group consumer: {consumer.Consumed} records consumed, caught up: {caughtUp}; high watermark went back {consumer.HighWatermarkRegressions} times");
            foreach (var failure in load.Failures.Take(5))
            {
                Console.WriteLine($"  delivery failure: {failure}");
            }

            return check.Clean && caughtUp && consumer.HighWatermarkRegressions == 0 ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static Dictionary<int, int> Leaders(string bootstrap)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        return admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.ToDictionary(p => p.PartitionId, p => p.Leader);
    }

    private static async Task WaitForIsrAsync(string bootstrap, int partitions)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
                var metadata = admin.GetMetadata(Topic, TimeSpan.FromSeconds(5)).Topics.Single().Partitions;
                if (metadata.Count == partitions && metadata.All(p => p.Leader >= 0 && p.InSyncReplicas.Length == 3))
                {
                    return;
                }
            }
            catch (KafkaException)
            {
                // A broker that has just died answers with a transport failure.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("Partitions not back in sync within two minutes.");
    }

    /// <summary>A read_committed member of a consumer group reading the topic all along, watching the high watermarks it is told.</summary>
    private sealed class CommittedReader : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reading;
        private readonly ConcurrentDictionary<int, long> _highWatermarks = new();
        private long _consumed;
        private int _regressions;

        public CommittedReader(string bootstrap, string topic)
        {
            _reading = Task.Run(() =>
            {
                using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
                {
                    BootstrapServers = bootstrap,
                    GroupId = "checker",
                    IsolationLevel = IsolationLevel.ReadCommitted,
                    AutoOffsetReset = AutoOffsetReset.Earliest,
                    EnableAutoCommit = true,
                    SessionTimeoutMs = 10_000,
                    TopicMetadataRefreshIntervalMs = 1000,
                }).Build();
                consumer.Subscribe(topic);
                while (!_stop.IsCancellationRequested)
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                    {
                        Interlocked.Increment(ref _consumed);
                        var high = consumer.GetWatermarkOffsets(result.TopicPartition).High.Value;
                        var seen = _highWatermarks.GetOrAdd(result.Partition.Value, high);
                        if (high < seen)
                        {
                            Interlocked.Increment(ref _regressions);
                        }

                        _highWatermarks[result.Partition.Value] = Math.Max(seen, high);
                    }
                }

                consumer.Close();
            });
        }

        public long Consumed => Interlocked.Read(ref _consumed);

        public int HighWatermarkRegressions => Volatile.Read(ref _regressions);

        /// <summary>Waits until at least <paramref name="records"/> were consumed (a group rebalance may deliver some twice).</summary>
        public async Task<bool> WaitForAsync(int records, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (Consumed < records && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            return Consumed >= records;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _reading.Wait(TimeSpan.FromSeconds(30));
            _stop.Dispose();
        }
    }
}
