using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Security;

/// <summary>
/// How close client quotas hold a client to its rate: a silo started here with Kafka's default quota windows (11 of a
/// second, unless <c>--windows</c>), a Confluent.Kafka producer with a <c>producer_byte_rate</c> and a consumer with a
/// <c>consumer_byte_rate</c> (set by client id through AlterClientQuotas), each as fast as it is let for
/// <c>--seconds</c>; the rate each reaches once its burst of (windows - 1) seconds is spent, against its quota.
/// </summary>
internal static class QuotaPerf
{
    private const int RecordBytes = 1024;

    public static async Task<int> RunAsync(Arguments arguments)
    {
        var rate = arguments.Int("rate", 1_000_000);
        var seconds = arguments.Int("seconds", 40);
        var windows = arguments.Int("windows", 11);
        var root = Path.Combine(Path.GetTempPath(), "tributary-quota-perf-" + Guid.NewGuid().ToString("N")[..8]);
        var port = SiloLauncher.FreePort();
        try
        {
            await using var silo = await SiloLauncher.StartAsync(root,
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
                ["--kafka-port", port.ToString(CultureInfo.InvariantCulture), "--Tributary:Kafka:QuotaWindowNum", windows.ToString(CultureInfo.InvariantCulture)]);
            var bootstrap = $"localhost:{port}";
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = "perf-quota", NumPartitions = 1, ReplicationFactor = 1 }]);
            }

            using (var raw = new RawKafkaClient(port, "quota-perf-admin"))
            {
                var altered = raw.Call<AlterClientQuotasResponse>(ApiKey.AlterClientQuotas, 1, new AlterClientQuotasRequest
                {
                    Entries =
                    [
                        Entry("perf-quota-producer", "producer_byte_rate", rate),
                        Entry("perf-quota-consumer", "consumer_byte_rate", rate),
                    ],
                });
                if (altered.Entries.Any(e => e.ErrorCode != 0))
                {
                    Console.Error.WriteLine($"AlterClientQuotas refused: {string.Join("; ", altered.Entries.Select(e => e.ErrorMessage))}");
                    return 1;
                }
            }

            var settled = TimeSpan.FromSeconds(windows + 1);
            var produced = FlatOutProducer.Run(bootstrap, "perf-quota", "perf-quota-producer", TimeSpan.FromSeconds(seconds), settled).BytesPerSecond;
            Console.WriteLine($"producer_byte_rate {rate}: {produced:F0} B/s after the burst, {produced / rate:F3} x the quota");
            Fill(bootstrap, (long)rate * 20 / RecordBytes);
            var consumed = Consume(bootstrap, TimeSpan.FromSeconds(seconds), settled);
            Console.WriteLine($"consumer_byte_rate {rate}: {consumed:F0} B/s after the burst, {consumed / rate:F3} x the quota");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static AlterClientQuotasRequest.EntryData Entry(string clientId, string key, double value) => new()
    {
        Entity = [new() { EntityType = "client-id", EntityName = clientId }],
        Ops = [new() { Key = key, Value = value }],
    };

    /// <summary>Records written by a client without a quota, so that the consumer cannot run out before its time.</summary>
    private static void Fill(string bootstrap, long records)
    {
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, ClientId = "perf-quota-filler", LingerMs = 5, BatchSize = 16_384 }).Build();
        var value = new byte[RecordBytes];
        for (var i = 0; i < records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce("perf-quota", new Message<Null, byte[]> { Value = value });
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromSeconds(60));
    }

    /// <summary>Payload bytes a second consumed from <paramref name="settled"/> after the first record on (the topic holds what the producer wrote).</summary>
    private static double Consume(string bootstrap, TimeSpan duration, TimeSpan settled)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            ClientId = "perf-quota-consumer",
            GroupId = "perf-quota",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset("perf-quota", 0, Offset.Beginning));
        Stopwatch? clock = null;
        long bytes = 0, atSettled = -1;
        while ((clock?.Elapsed ?? TimeSpan.Zero) < duration)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
            {
                clock ??= Stopwatch.StartNew();
                bytes += record.Message.Value.Length;
            }
            else if (clock is null)
            {
                continue;
            }

            if (atSettled < 0 && clock.Elapsed >= settled)
            {
                atSettled = bytes;
            }
        }

        return (bytes - atSettled) / (clock!.Elapsed - settled).TotalSeconds;
    }
}
