using System.Buffers.Binary;
using System.Diagnostics;
using Confluent.Kafka;

namespace Tributary.Tests.Perf;

/// <summary>What a producer run achieved.</summary>
internal sealed record ProduceFigures(long Records, int RecordSize, double Seconds, double P50, double P99, double P999)
{
    public double RecordsPerSecond => Records / Seconds;

    public double MegabytesPerSecond => Records * (double)RecordSize / 1e6 / Seconds;
}

/// <summary>
/// Kafka's producer-perf with Confluent.Kafka: N records of S bytes as fast as the client sends them, latency from
/// send to delivery report per record. Each value carries its index, so one shared delivery handler finds its send time.
/// </summary>
internal static class ProducerPerf
{
    public static ProduceFigures Run(string bootstrap, string topic, long records, int recordSize, Acks acks, int lingerMs,
        CompressionType compression = CompressionType.None, IDictionary<string, string>? extra = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = acks,
            LingerMs = lingerMs,
            BatchSize = 1_000_000,
            CompressionType = compression,
            QueueBufferingMaxMessages = 1_000_000,
            QueueBufferingMaxKbytes = 1_048_576,
            EnableIdempotence = false,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            config.Set(key, value);
        }

        var sent = new long[records];
        var latencies = new Percentiles((int)Math.Min(records, 5_000_000));
        long failed = 0;
        Action<DeliveryReport<Null, byte[]>> delivered = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
                return;
            }

            var index = BinaryPrimitives.ReadInt64LittleEndian(report.Message.Value);
            latencies.Add(Stopwatch.GetElapsedTime(sent[index]).TotalMicroseconds);
        };

        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < records; i++)
        {
            var value = new byte[Math.Max(8, recordSize)];
            BinaryPrimitives.WriteInt64LittleEndian(value, i);
            sent[i] = Stopwatch.GetTimestamp();
            producer.ProduceWhenRoom(topic, value, delivered);
        }

        producer.Flush(TimeSpan.FromMinutes(5));
        var seconds = watch.Elapsed.TotalSeconds;
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} records were not delivered.");
        }

        var (p50, p99, p999) = latencies.Compute();
        return new ProduceFigures(records, recordSize, seconds, p50, p99, p999);
    }

    /// <summary>One record at a time, each awaited: the round trip of a produce with nothing queued behind it.</summary>
    public static async Task<ProduceFigures> LatencyAsync(string bootstrap, string topic, int records, int recordSize, Acks acks)
    {
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = acks,
            LingerMs = 0,
            EnableIdempotence = false,
        }).Build();
        var value = new byte[recordSize];
        for (var i = 0; i < 200; i++)
        {
            await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = value });
        }

        var latencies = new Percentiles(records);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < records; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = value });
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        var (p50, p99, p999) = latencies.Compute();
        return new ProduceFigures(records, recordSize, watch.Elapsed.TotalSeconds, p50, p99, p999);
    }
}
