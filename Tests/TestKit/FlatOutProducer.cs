using System.Diagnostics;
using Confluent.Kafka;

namespace Tributary.Tests.TestKit;

/// <summary>What a producer running as fast as it was let reached: payload bytes a second, and whether it was throttled.</summary>
public sealed record FlatOutFigures(double BytesPerSecond, bool Throttled);

/// <summary>
/// A Confluent.Kafka producer that writes 1 KiB records in 16 KiB batches as fast as the broker lets it, for measuring
/// what holds it back (client quotas): its rate counts from <c>steadyFrom</c> after its first acknowledgement, so that
/// a slow start on a loaded machine is not taken for what is measured; librdkafka's statistics tell whether the broker
/// ever asked it to wait.
/// </summary>
public static class FlatOutProducer
{
    public const int RecordBytes = 1024;

    public static FlatOutFigures Run(string bootstrap, string topic, string clientId, TimeSpan duration, TimeSpan steadyFrom) =>
        Run(new ClientConfig { BootstrapServers = bootstrap, ClientId = clientId }, topic, duration, steadyFrom);

    /// <param name="client">Where and as whom to connect (bootstrap servers, client id, SASL ...).</param>
    public static FlatOutFigures Run(ClientConfig client, string topic, TimeSpan duration, TimeSpan steadyFrom)
    {
        var throttled = false;
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig(client)
        {
            LingerMs = 5,
            BatchSize = 16_384,
            QueueBufferingMaxKbytes = 256,
            StatisticsIntervalMs = 500,
        }).SetStatisticsHandler((_, json) => throttled |= StatisticsShowThrottle(json)).Build();

        var value = new byte[RecordBytes];
        long acknowledged = 0, atSteady = -1, firstAcknowledged = 0;
        TimeSpan Elapsed() => Interlocked.Read(ref firstAcknowledged) is var first and > 0 ? Stopwatch.GetElapsedTime(first) : TimeSpan.Zero;
        var deadline = Stopwatch.StartNew();
        while (Elapsed() < duration && deadline.Elapsed < duration + TimeSpan.FromSeconds(30))
        {
            if (atSteady < 0 && Elapsed() >= steadyFrom)
            {
                atSteady = Interlocked.Read(ref acknowledged);
            }

            try
            {
                producer.Produce(topic, new Message<Null, byte[]> { Value = value }, report =>
                {
                    if (report.Error.Code == ErrorCode.NoError)
                    {
                        Interlocked.CompareExchange(ref firstAcknowledged, Stopwatch.GetTimestamp(), 0);
                        Interlocked.Add(ref acknowledged, RecordBytes);
                    }
                });
            }
            catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }

        var rate = (Interlocked.Read(ref acknowledged) - atSteady) / (Elapsed() - steadyFrom).TotalSeconds;
        producer.Flush(TimeSpan.FromSeconds(30));
        return new FlatOutFigures(rate, throttled);
    }

    /// <summary>librdkafka's statistics: a broker's <c>throttle</c> window holds the throttle times it was told.</summary>
    private static bool StatisticsShowThrottle(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("brokers").EnumerateObject()
            .Any(b => b.Value.TryGetProperty("throttle", out var t) && t.GetProperty("max").GetInt64() > 0);
    }
}
