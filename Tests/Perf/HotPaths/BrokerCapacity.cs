using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.HotPaths;

/// <summary>
/// The broker's own produce and fetch capacity, measured with load the client does not bound (<see cref="RawProducer"/>,
/// <see cref="RawFetcher"/>: pre-built requests, several connections, responses counted rather than decoded record by
/// record) against a silo started here in its own process, beside one loopback TCP stream measured in the same run: MB/s,
/// the ratio to loopback, and the silo's CPU-seconds per GB (from its process's CPU time), for each record size,
/// partition count and acks given. RF=1.
/// </summary>
internal static class BrokerCapacity
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var seconds = TimeSpan.FromSeconds(arguments.Int("seconds", 8));
        var connections = arguments.Int("connections", 4);
        var inFlight = arguments.Int("in-flight", 8);
        var batchBytes = arguments.Int("batch-bytes", 64 * 1024);
        var sizes = Ints(arguments.String("record-sizes", "100,1024"));
        var partitionCounts = Ints(arguments.String("partitions", "1,16"));
        var acksValues = arguments.String("acks", "1,all").Split(',').Select(a => a == "all" ? (short)-1 : short.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var root = Path.Combine(Path.GetTempPath(), "tributary-capacity-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var loopback = await Loopback.MeasureAsync();
            Console.WriteLine($"loopback TCP: {loopback:F0} MB/s");
            await using var silo = await SiloLauncher.StartAsync(root, new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });
            Console.WriteLine("records  partitions  acks  |  produce MB/s  x loopback  CPU-s/GB  |  fetch MB/s  x loopback  CPU-s/GB");
            foreach (var size in sizes)
            {
                foreach (var partitions in partitionCounts)
                {
                    var topic = $"capacity-{size}-{partitions}";
                    using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = silo.BootstrapServers }).Build())
                    {
                        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
                    }

                    foreach (var acks in acksValues)
                    {
                        var (produced, produceCpu, produceSeconds) = await MeasureAsync(silo, () =>
                            RawProducer.RunAsync(silo.KafkaPort, topic, partitions, size, batchBytes, acks, connections, inFlight, seconds));
                        var (fetched, fetchCpu, fetchSeconds) = await MeasureAsync(silo, () =>
                            RawFetcher.RunAsync(silo.KafkaPort, topic, partitions, connections, 1 << 20, seconds));
                        var produceRate = produced / 1e6 / produceSeconds;
                        var fetchRate = fetched / 1e6 / fetchSeconds;
                        Console.WriteLine(
                            $"{size,7}  {partitions,10}  {(acks == -1 ? "all" : acks.ToString(System.Globalization.CultureInfo.InvariantCulture)),4}  |  " +
                            $"{produceRate,12:F1}  {produceRate / loopback,10:F3}  {produceCpu / (produced / 1e9),8:F2}  |  " +
                            $"{fetchRate,10:F1}  {fetchRate / loopback,10:F3}  {fetchCpu / (fetched / 1e9),8:F2}");
                    }
                }
            }

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

    /// <summary>Bytes moved by <paramref name="load"/>, the silo's CPU-seconds meanwhile, and the seconds it took.</summary>
    private static async Task<(long Bytes, double CpuSeconds, double Seconds)> MeasureAsync(SiloLauncher silo, Func<Task<long>> load)
    {
        using var process = Process.GetProcessById(silo.ProcessId);
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var bytes = await load();
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (bytes, (process.TotalProcessorTime - cpu).TotalSeconds, seconds);
    }

    private static List<int> Ints(string list) => [.. list.Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
}
