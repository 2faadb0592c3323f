using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Perf.Groups;
using Tributary.Tests.Perf.Registry;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf;

/// <summary>
/// The whole measurement in one run, so that every figure stands beside its baseline from the same minutes on the same
/// machine: loopback TCP, the client against librdkafka's in-memory mock broker, then the real broker process.
/// </summary>
internal static class Suite
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        var smallRecords = arguments.Int("records-small", 2_000_000);
        var largeRecords = arguments.Int("records-large", 500_000);
        var partitions = arguments.Int("partitions", 4);
        var rows = new List<(string What, string Value, string Against)>();

        Console.WriteLine("measuring loopback TCP and raw file writes ...");
        var loopback = await Loopback.MeasureAsync();
        rows.Add(("loopback TCP, 1 stream (.NET sockets)", $"{loopback:F0} MB/s", ""));
        var fileWrite = RawFileWrite.Measure();
        rows.Add(("sequential writes to a new file (page cache)", $"{fileWrite:F0} MB/s", ""));

        Console.WriteLine("producing to librdkafka's mock broker ...");
        var mockSmall = ProducerPerf.Run("localhost:1", "mock-small", smallRecords, 100, Acks.Leader, 5, extra: Mock());
        var mockLarge = ProducerPerf.Run("localhost:1", "mock-large", largeRecords, 1024, Acks.Leader, 5, extra: Mock());
        rows.Add(("mock broker, 100 B, acks=1 (Confluent.Kafka)", Rate(mockSmall), ""));
        rows.Add(("mock broker, 1 KiB, acks=1 (Confluent.Kafka)", $"{mockLarge.MegabytesPerSecond:F0} MB/s", ""));

        var data = Path.Combine(Path.GetTempPath(), "tributary-perf", "suite-" + Guid.NewGuid().ToString("N")[..8]);
        await using (var silo = await SiloLauncher.StartAsync(data, new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" }))
        {
            var bootstrap = silo.BootstrapServers;
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
            {
                await admin.CreateTopicsAsync(new[] { "small", "large", "latency", "kcat" }.Select(name => new TopicSpecification
                {
                    Name = name,
                    NumPartitions = name == "latency" ? 1 : partitions,
                    ReplicationFactor = 1,
                }));
            }

            Console.WriteLine("producing 100 B records ...");
            var small = ProducerPerf.Run(bootstrap, "small", smallRecords, 100, Acks.Leader, 5);
            rows.Add(("Tributary, 100 B, acks=1 (Confluent.Kafka)", Rate(small), $"{small.RecordsPerSecond / mockSmall.RecordsPerSecond:F2} x mock"));
            rows.Add(("  latency p50 / p99 / p99.9", Latency(small), ""));

            if (Kcat.IsInstalled)
            {
                Console.WriteLine("producing 100 B records with kcat ...");
                var kcatMock = Kcat.Produce("localhost:1", "kcat", smallRecords, 100, mock: true);
                var kcat = Kcat.Produce(bootstrap, "kcat", smallRecords, 100);
                rows.Add(("mock broker, 100 B, acks=1 (kcat)", Rate(kcatMock), ""));
                rows.Add(("Tributary, 100 B, acks=1 (kcat)", Rate(kcat), $"{kcat.RecordsPerSecond / kcatMock.RecordsPerSecond:F2} x mock"));
            }

            Console.WriteLine("producing 1 KiB records ...");
            var large = ProducerPerf.Run(bootstrap, "large", largeRecords, 1024, Acks.Leader, 5);
            rows.Add(("Tributary, 1 KiB, acks=1 (Confluent.Kafka)", $"{large.MegabytesPerSecond:F0} MB/s",
                $"{large.MegabytesPerSecond / loopback:F2} x loopback, {large.MegabytesPerSecond / fileWrite:F2} x file writes, {large.MegabytesPerSecond / mockLarge.MegabytesPerSecond:F2} x mock"));

            Console.WriteLine("consuming 1 KiB records ...");
            var (count, bytes, seconds) = ConsumerPerf.Run(bootstrap, "large", partitions, largeRecords);
            var consumed = bytes / 1e6 / seconds;
            rows.Add(("Tributary consume, 1 KiB (Confluent.Kafka)", $"{consumed:F0} MB/s, {count / seconds:F0} records/s", $"{consumed / loopback:F2} x loopback"));
            if (Kcat.IsInstalled)
            {
                var kcatSeconds = Kcat.ConsumeToEnd(bootstrap, "large");
                var kcatConsumed = bytes / 1e6 / kcatSeconds;
                rows.Add(("Tributary consume, 1 KiB (kcat)", $"{kcatConsumed:F0} MB/s", $"{kcatConsumed / loopback:F2} x loopback"));
            }

            Console.WriteLine("measuring acks=1 latency with linger 0 ...");
            var latency = await ProducerPerf.LatencyAsync(bootstrap, "latency", 5000, 100, Acks.Leader);
            rows.Add(("acks=1, linger 0, one at a time: p50 / p99 / p99.9", Latency(latency), ""));
            rows.AddRange(await GroupPerf.RunAsync(bootstrap, arguments));

            // Its own, shorter settings: the suite's --connections and --seconds are group-perf's.
            rows.AddRange(await RegistryPerf.RunAsync(silo.RegistryUrl, new Arguments(new() { ["seconds"] = "5", ["registrations"] = "1000", ["subject-versions"] = "0,2000" })));
        }

        Directory.Delete(data, recursive: true);
        Console.WriteLine();
        var width = rows.Max(r => r.What.Length);
        foreach (var (what, value, against) in rows)
        {
            Console.WriteLine($"{what.PadRight(width)}  {value,-36} {against}");
        }

        return 0;
    }

    private static Dictionary<string, string> Mock() => new() { ["test.mock.num.brokers"] = "1" };

    private static string Rate(ProduceFigures f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f.RecordsPerSecond:F0} records/s, {f.MegabytesPerSecond:F0} MB/s");

    private static string Latency(ProduceFigures f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f.P50 / 1000:F2} / {f.P99 / 1000:F2} / {f.P999 / 1000:F2} ms");
}
