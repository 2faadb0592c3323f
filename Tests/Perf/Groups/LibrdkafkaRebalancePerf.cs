using System.Diagnostics;
using Confluent.Kafka;

namespace Tributary.Tests.Perf.Groups;

/// <summary>
/// The same rebalance with Confluent.Kafka consumers: from the new consumer's Subscribe until every consumer holds its
/// share of the partitions. Includes librdkafka's own steps (metadata, coordinator lookup, heartbeat interval).
/// </summary>
internal static class LibrdkafkaRebalancePerf
{
    public static List<double> Measure(string bootstrap, string topic, int partitions, int members, int rounds, TimeSpan heartbeatInterval)
    {
        var samples = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var group = $"librdkafka-rebalance-{Guid.NewGuid():N}";
            var existing = Enumerable.Range(0, members - 1).Select(_ => new PolledConsumer(bootstrap, group, topic, heartbeatInterval)).ToList();
            try
            {
                WaitUntil(() => existing.Sum(c => c.AssignedCount) == partitions && existing.All(c => c.AssignedCount > 0), "the group formed");
                var start = Stopwatch.GetTimestamp();
                using var joiner = new PolledConsumer(bootstrap, group, topic, heartbeatInterval);
                var all = existing.Append(joiner).ToList();
                WaitUntil(() => all.Sum(c => c.AssignedCount) == partitions && all.All(c => c.AssignedCount == partitions / members), "the partitions shared");
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            finally
            {
                foreach (var consumer in existing)
                {
                    consumer.Dispose();
                }
            }
        }

        return samples;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>A subscribed consumer polling on its own thread, counting the partitions it holds.</summary>
    private sealed class PolledConsumer : IDisposable
    {
        private readonly IConsumer<Ignore, Ignore> _consumer;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private int _assigned;

        public PolledConsumer(string bootstrap, string group, string topic, TimeSpan heartbeatInterval)
        {
            _consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = group,
                HeartbeatIntervalMs = (int)heartbeatInterval.TotalMilliseconds,
                SessionTimeoutMs = 10_000,
                PartitionAssignmentStrategy = PartitionAssignmentStrategy.RoundRobin,
            })
                .SetPartitionsAssignedHandler((_, assigned) => Interlocked.Add(ref _assigned, assigned.Count))
                .SetPartitionsRevokedHandler((_, revoked) => Interlocked.Add(ref _assigned, -revoked.Count))
                .SetPartitionsLostHandler((_, lost) => Interlocked.Add(ref _assigned, -lost.Count))
                .Build();
            _consumer.Subscribe(topic);
            _thread = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    _consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public int AssignedCount => Volatile.Read(ref _assigned);

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join();
            _consumer.Close();
            _consumer.Dispose();
        }
    }
}
