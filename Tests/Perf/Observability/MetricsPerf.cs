using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Observability;

/// <summary>
/// What the metrics cost the hot path: two silos started here, one with its metrics on and scraped by a real Prometheus
/// every <c>--scrape-ms</c>, one with <c>Tributary:Metrics:Enabled false</c>; producer-perf then consumer-perf against
/// each, rounds alternating so that both see the same machine. Medians of MB/s, their ratios (on / off), and each
/// silo's CPU-seconds per GB moved. With <c>--traced</c> the first silo also exports over OTLP (traces, metrics,
/// logs) to an <see cref="OtlpSink"/>, its requests sampled by <c>--sampler</c> and <c>--sampler-arg</c> (the silo's
/// default, one in a hundred, unless given).
/// </summary>
internal static class MetricsPerf
{
    private const string Topic = "perf-metrics";

    public static async Task<int> RunAsync(Arguments arguments)
    {
        var records = arguments.Int("records", 300_000);
        var recordSize = arguments.Int("record-size", 1024);
        var partitions = arguments.Int("partitions", 4);
        var rounds = arguments.Int("rounds", 5);
        var scrape = TimeSpan.FromMilliseconds(arguments.Int("scrape-ms", 5_000));
        var traced = arguments.String("traced", "false") != "false";
        var sampler = arguments.String("sampler", "");
        var samplerArgument = arguments.String("sampler-arg", "");
        var root = Path.Combine(Path.GetTempPath(), "tributary-metrics-perf-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
        try
        {
            await using var sink = new OtlpSink();
            // The silo's own default sampling unless a sampler or its argument is given.
            string[] onSettings = traced
                ?
                [
                    "--Tributary:Metrics:Enabled", "true", "--OTEL_EXPORTER_OTLP_ENDPOINT", sink.Endpoint, "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                    .. sampler.Length > 0 ? new[] { "--OTEL_TRACES_SAMPLER", sampler } : [],
                    .. samplerArgument.Length > 0 ? new[] { "--OTEL_TRACES_SAMPLER_ARG", samplerArgument } : [],
                ]
                : ["--Tributary:Metrics:Enabled", "true"];
            await using var on = await SiloLauncher.StartAsync(Path.Combine(root, "on"), environment, onSettings);
            await using var off = await SiloLauncher.StartAsync(Path.Combine(root, "off"), environment, ["--Tributary:Metrics:Enabled", "false"]);
            await using var prometheus = await PrometheusServer.StartAsync([$"127.0.0.1:{on.HealthPort}"], scrape);
            var silos = new[] { ("metrics on", on), ("metrics off", off) };
            foreach (var (_, silo) in silos)
            {
                using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = silo.BootstrapServers }).Build();
                await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
                ProducerPerf.Run(silo.BootstrapServers, Topic, Math.Min(records, 50_000), recordSize, Acks.Leader, 5);
            }

            var produced = silos.ToDictionary(s => s.Item1, _ => new List<double>());
            var consumed = silos.ToDictionary(s => s.Item1, _ => new List<double>());
            var cpu = silos.ToDictionary(s => s.Item1, _ => TimeSpan.Zero);
            var gigabytes = 0.0;
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (name, silo) in round % 2 == 1 ? silos : silos.Reverse())
                {
                    var before = CpuTime(silo.ProcessId);
                    var produce = ProducerPerf.Run(silo.BootstrapServers, Topic, records, recordSize, Acks.Leader, 5);
                    var (_, bytes, seconds) = ConsumerPerf.Run(silo.BootstrapServers, Topic, partitions, records);
                    cpu[name] += CpuTime(silo.ProcessId) - before;
                    produced[name].Add(produce.MegabytesPerSecond);
                    consumed[name].Add(bytes / 1e6 / seconds);
                    if (name == "metrics on")
                    {
                        gigabytes += 2.0 * records * recordSize / 1e9;
                    }

                    Console.WriteLine($"round {round}, {name}: produce {produce.MegabytesPerSecond:F1} MB/s, consume {bytes / 1e6 / seconds:F1} MB/s");
                }
            }

            var scraped = await prometheus.ValueAsync($$"""sum(kafka_server_brokertopicmetrics_messagesin_total{topic="{{Topic}}"})""");
            Console.WriteLine($"Prometheus saw {scraped:F0} messages in on the silo with metrics (every {scrape.TotalSeconds:F0} s)");
            if (traced)
            {
                Console.WriteLine($"OTLP export ({(sampler.Length > 0 ? sampler : "default sampler")} {samplerArgument}): {sink.Requests} requests, {sink.Bytes / 1e6:F1} MB");
            }

            var produceRatio = Median(produced["metrics on"]) / Median(produced["metrics off"]);
            var consumeRatio = Median(consumed["metrics on"]) / Median(consumed["metrics off"]);
            Console.WriteLine($"median produce MB/s: on {Median(produced["metrics on"]):F1}, off {Median(produced["metrics off"]):F1}; ratio {produceRatio:F3}");
            Console.WriteLine($"median consume MB/s: on {Median(consumed["metrics on"]):F1}, off {Median(consumed["metrics off"]):F1}; ratio {consumeRatio:F3}");
            Console.WriteLine($"silo CPU-s per GB produced and consumed: on {cpu["metrics on"].TotalSeconds / gigabytes:F2}, off {cpu["metrics off"].TotalSeconds / gigabytes:F2}");
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

    private static TimeSpan CpuTime(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return process.TotalProcessorTime;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
