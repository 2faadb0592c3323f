using System.Diagnostics;
using Confluent.Kafka;

namespace Tributary.Tests.Perf;

/// <summary>Kafka's consumer-perf with Confluent.Kafka: read N records from the start of every partition.</summary>
internal static class ConsumerPerf
{
    public static (long Records, long Bytes, double Seconds) Run(
        string bootstrap, string topic, int partitions, long records, IDictionary<string, string>? extra = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "consumer-perf",
            EnableAutoCommit = false,
            FetchMaxBytes = 50 * 1024 * 1024,
            MaxPartitionFetchBytes = 8 * 1024 * 1024,
            QueuedMaxMessagesKbytes = 512 * 1024,
            FetchWaitMaxMs = 100,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            config.Set(key, value);
        }

        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        long count = 0, bytes = 0;
        var watch = Stopwatch.StartNew();
        while (count < records)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"Only {count} of {records} records arrived.");
            count++;
            bytes += result.Message.Value.Length;
        }

        return (count, bytes, watch.Elapsed.TotalSeconds);
    }
}
