using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Connect;

/// <summary>
/// Kafka Connect's FileStream connectors against the Kafka clients doing the same work, in one run on one silo process
/// started here: a FileStreamSource copying N lines of S bytes into a topic against producer-perf (Confluent.Kafka,
/// acks=all, as the source writes) producing N records of S bytes; then a FileStreamSink copying that topic into a file
/// against consumer-perf reading the same topic. A connector's time runs from its creation (POST /connectors) until
/// its output is complete as seen from outside, so it includes the task's start and, for the sink, the last buffered
/// lines waiting for the next offset commit (<c>offset.flush.interval.ms</c>, set small here). The broker process's CPU
/// seconds are taken for each part.
/// </summary>
internal static class ConnectPerf
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static async Task<List<(string What, string Value, string Against)>> RunAsync(Arguments arguments)
    {
        var records = Longs(arguments.String("records", "1000000,200000"));
        var sizes = Longs(arguments.String("record-size", "100,1024"));
        if (records.Count != sizes.Count)
        {
            throw new ArgumentException("--records and --record-size need as many comma-separated values each.");
        }

        var partitions = arguments.Int("partitions", 1);
        var flushMs = arguments.Int("offset-flush-interval-ms", 1000);
        var root = Path.Combine(Path.GetTempPath(), "tributary-connect-perf-" + Guid.NewGuid().ToString("N")[..8]);
        var rows = new List<(string, string, string)>();
        try
        {
            await using var silo = await SiloLauncher.StartAsync(Path.Combine(root, "data"),
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
                ["--Tributary:Connect:OffsetFlushIntervalMs", flushMs.ToString(CultureInfo.InvariantCulture)]);
            Console.WriteLine($"silo pid {silo.ProcessId}");
            var run = new Run(silo, root, partitions);

            // Both paths JIT-compile and activate their grains on first use: a small pass first, not reported.
            Console.WriteLine("warming up ...");
            await run.PartAsync(20_000, 100, quiet: true);
            for (var i = 0; i < records.Count; i++)
            {
                rows.AddRange(await run.PartAsync(records[i], (int)sizes[i], quiet: false));
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        return rows;
    }

    private static List<long> Longs(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => long.Parse(v, CultureInfo.InvariantCulture))];

    /// <summary>One silo's parts; each part gets its own topics and files.</summary>
    private sealed class Run(SiloLauncher silo, string root, int partitions)
    {
        private int _parts;

        public async Task<List<(string, string, string)>> PartAsync(long records, int size, bool quiet)
        {
            var part = $"{size}b-{++_parts}";
            var sourceTopic = $"connect-perf-source-{part}";
            var nativeTopic = $"connect-perf-native-{part}";
            var input = Path.Combine(root, $"input-{part}.txt");
            var output = Path.Combine(root, $"output-{part}.txt");
            var bootstrap = silo.BootstrapServers;
            await PerfTopics.EnsureAsync(bootstrap, sourceTopic, partitions);
            await PerfTopics.EnsureAsync(bootstrap, nativeTopic, partitions);
            InputFile.Write(input, records, size);
            var megabytes = records * (double)size / 1e6;
            using var rest = new ConnectorRest(silo.ConnectUrl);

            Log(quiet, $"producer-perf, {records} records of {size} B, acks=all ...");
            var cpu = silo.CpuTime;
            var produced = ProducerPerf.Run(bootstrap, nativeTopic, records, size, Acks.All, 5);
            var produceCpu = (silo.CpuTime - cpu).TotalSeconds;

            Log(quiet, $"FileStreamSource, {records} lines of {size} B ...");
            var source = $"perf-source-{part}";
            cpu = silo.CpuTime;
            var clock = Stopwatch.StartNew();
            await rest.CreateAsync(source, "FileStreamSource", input, "topic", sourceTopic);
            var sourceSeconds = await new Progress(clock, () => rest.StatusAsync(source), Timeout).TopicFilledAsync(bootstrap, sourceTopic, partitions, records);
            var sourceCpu = (silo.CpuTime - cpu).TotalSeconds;
            await rest.DeleteAsync(source);

            Log(quiet, "consumer-perf on the source's topic ...");
            cpu = silo.CpuTime;
            var (_, _, consumeSeconds) = ConsumerPerf.Run(bootstrap, sourceTopic, partitions, records);
            var consumeCpu = (silo.CpuTime - cpu).TotalSeconds;

            Log(quiet, "FileStreamSink from the source's topic ...");
            var sink = $"perf-sink-{part}";
            cpu = silo.CpuTime;
            clock.Restart();
            await rest.CreateAsync(sink, "FileStreamSink", output, "topics", sourceTopic);
            var sinkSeconds = await new Progress(clock, () => rest.StatusAsync(sink), Timeout).FileFilledAsync(output, records * (size + (long)Environment.NewLine.Length));
            var sinkCpu = (silo.CpuTime - cpu).TotalSeconds;
            await rest.DeleteAsync(sink);

            string Rate(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{records / seconds:F0} records/s, {megabytes / seconds:F1} MB/s");
            string Cpu(double seconds) => string.Create(CultureInfo.InvariantCulture, $"broker CPU {seconds:F1} s");
            List<(string, string, string)> rows =
            [
                ($"producer-perf, {size} B, acks=all (Confluent.Kafka)", Rate(produced.Seconds), Cpu(produceCpu)),
                ($"FileStreamSource -> topic, {size} B lines", Rate(sourceSeconds),
                    string.Create(CultureInfo.InvariantCulture, $"{produced.Seconds / sourceSeconds:F2} x producer-perf; {Cpu(sourceCpu)}")),
                ($"consumer-perf, {size} B (Confluent.Kafka)", Rate(consumeSeconds), Cpu(consumeCpu)),
                ($"topic -> FileStreamSink, {size} B lines", Rate(sinkSeconds),
                    string.Create(CultureInfo.InvariantCulture, $"{consumeSeconds / sinkSeconds:F2} x consumer-perf; {Cpu(sinkCpu)}")),
            ];

            // Printed as each part ends too, so that a later part's failure does not lose the figures.
            foreach (var (what, value, against) in rows)
            {
                Log(quiet, $"  {what}: {value} ({against})");
            }

            File.Delete(input);
            File.Delete(output);
            return rows;
        }

        private static void Log(bool quiet, string line)
        {
            if (!quiet)
            {
                Console.WriteLine(line);
            }
        }
    }
}
