using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Lifecycle;

/// <summary>
/// How long the broker takes to come back after <c>kill -9</c>, against the data it holds, and to stop on SIGTERM,
/// against the partitions it has open. Each restart case starts the real broker process over a fresh directory,
/// writes the data (1 KiB records spread evenly over the partitions, acks=1), kills it with SIGKILL as soon as the
/// last record is acknowledged, and starts it again: the time until the Kafka port answers ApiVersions, the time
/// until a ListOffsets over every partition answers with no error and each partition's end offset is what was
/// acknowledged (every partition recovered and serving), and what the broker logged about the recovery (bytes it
/// validated past the checkpoints, the background pass's time), beside the time one sequential read of the segment
/// files takes in the same state of the page cache (the physical floor). Each shutdown case writes one record to every
/// partition (so every partition is open), then sends SIGTERM and times the exit; it checks the clean-shutdown marker
/// and that nothing was logged as an error. A first row starts the broker over an empty directory: the machine's
/// start time with nothing to recover, which the restarts compare with.
/// </summary>
internal static partial class RestartPerf
{
    private const int RecordSize = 1024;

    public static async Task<int> RunAsync(Arguments arguments)
    {
        var sizes = arguments.String("sizes", "1,4,16").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var partitionCounts = arguments.String("partitions", "10,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var single = double.Parse(arguments.String("single", "1"), CultureInfo.InvariantCulture);
        var shutdownCounts = arguments.String("shutdown-partitions", "1000,10000").Split(',').Where(s => s.Length > 0).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var root = Path.Combine(arguments.String("dir", Path.GetTempPath()), "tributary-restart-perf-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine($"load average before: {LoadAverage()}");
        var restarts = new List<string> { await EmptyStartAsync(Path.Combine(root, "empty")) };
        Console.WriteLine(restarts[0]);
        var cases = (single > 0 ? new[] { (single, 1) } : []).Concat(sizes.SelectMany(g => partitionCounts.Select(p => (g, p))));
        foreach (var (gigabytes, partitions) in cases)
        {
            var data = Path.Combine(root, $"restart-{gigabytes}g-{partitions}p");
            try
            {
                var row = await RestartAsync(data, gigabytes, partitions);
                restarts.Add(row);
                Console.WriteLine(row);
            }
            finally
            {
                Directory.Delete(data, recursive: true);
            }
        }

        var shutdowns = new List<string>();
        foreach (var partitions in shutdownCounts)
        {
            var data = Path.Combine(root, $"shutdown-{partitions}p");
            try
            {
                var row = await ShutdownAsync(data, partitions);
                shutdowns.Add(row);
                Console.WriteLine(row);
            }
            finally
            {
                Directory.Delete(data, recursive: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| data | partitions | written in | reading it takes | port answers after | all partitions serve after | validated past checkpoints | background recovery |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        restarts.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| active partitions | activated in | SIGTERM to exit | clean-shutdown marker | errors logged | logs closed in |");
        Console.WriteLine("|---|---|---|---|---|---|");
        shutdowns.ForEach(Console.WriteLine);
        Console.WriteLine($"load average after: {LoadAverage()}");
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static async Task<string> RestartAsync(string data, double gigabytes, int partitions)
    {
        const string topic = "restart";
        var records = (long)(gigabytes * 1e9 / RecordSize);
        var perPartition = new long[partitions];
        TimeSpan written;

        // The restart listens on the same Kafka port, as a broker does: its registered endpoint is unchanged.
        var port = SiloLauncher.FreePort();
        string[] listen = ["--kafka-port", port.ToString(CultureInfo.InvariantCulture)];
        await using (var silo = await SiloLauncher.StartAsync(data, Quiet, listen))
        {
            await PerfTopics.EnsureAsync(silo.BootstrapServers, topic, partitions);
            var watch = Stopwatch.StartNew();
            Produce(silo.BootstrapServers, topic, partitions, records, perPartition);
            written = watch.Elapsed;
            await silo.KillAsync();
        }

        // The physical baseline, in the same state of the page cache as the restart that follows: one sequential read
        // of every segment file.
        var reading = Stopwatch.StartNew();
        ReadSegments(data);
        var read = reading.Elapsed;

        var started = Stopwatch.StartNew();
        var launching = SiloLauncher.StartAsync(data, Quiet, listen);
        var answered = await KafkaPortProbe.WaitUntilAnsweredAsync(port, TimeSpan.FromMinutes(2));
        await using var restarted = await launching;
        while (true)
        {
            var offsets = KafkaPortProbe.LatestOffsets(port, topic, partitions, TimeSpan.FromMinutes(10));
            if (offsets.All(o => o.Error == 0))
            {
                var lost = Enumerable.Range(0, partitions).Where(p => offsets[p].Offset < perPartition[p]).ToList();
                if (lost.Count > 0)
                {
                    throw new InvalidOperationException($"Partitions {string.Join(", ", lost.Take(10))} end before what was acknowledged.");
                }

                break;
            }

            if (started.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("Partitions still answer errors after 10 minutes.");
            }

            await Task.Delay(50);
        }

        var serving = started.Elapsed;
        var recovered = await WaitForLineAsync(restarted, RecoveredLine(), TimeSpan.FromMinutes(10));
        var bytes = recovered is null ? "?" : $"{long.Parse(recovered.Groups["bytes"].Value, CultureInfo.InvariantCulture) / 1e9:F2} GB";
        var background = recovered is null ? "?" : $"{long.Parse(recovered.Groups["ms"].Value, CultureInfo.InvariantCulture) / 1000.0:F1} s";
        return $"| {gigabytes} GB | {partitions} | {written.TotalSeconds:F0} s | {read.TotalSeconds:F2} s | {answered.TotalSeconds:F2} s | {serving.TotalSeconds:F2} s | {bytes} | {background} |";
    }

    /// <summary>The baseline: how long the port takes to answer over a new, empty data directory.</summary>
    private static async Task<string> EmptyStartAsync(string data)
    {
        var port = SiloLauncher.FreePort();
        var launching = SiloLauncher.StartAsync(data, Quiet, ["--kafka-port", port.ToString(CultureInfo.InvariantCulture)]);
        var answered = await KafkaPortProbe.WaitUntilAnsweredAsync(port, TimeSpan.FromMinutes(2));
        await using (var silo = await launching)
        {
            await silo.KillAsync();
        }

        Directory.Delete(data, recursive: true);
        return $"| none (new directory) | 0 | | | {answered.TotalSeconds:F2} s | | | |";
    }

    private static void ReadSegments(string data)
    {
        var buffer = new byte[1 << 20];
        foreach (var path in Directory.EnumerateFiles(data, "*.log", SearchOption.AllDirectories))
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            long position = 0;
            int read;
            while ((read = RandomAccess.Read(file, buffer, position)) > 0)
            {
                position += read;
            }
        }
    }

    private static async Task<string> ShutdownAsync(string data, int partitions)
    {
        const string topic = "shutdown";
        await using var silo = await SiloLauncher.StartAsync(data, Quiet);
        await PerfTopics.EnsureAsync(silo.BootstrapServers, topic, partitions);
        var watch = Stopwatch.StartNew();
        Produce(silo.BootstrapServers, topic, partitions, partitions, new long[partitions], recordSize: 100);
        var activated = watch.Elapsed;

        // An idle client stays connected, as clients do.
        using var idle = new RawKafkaClient(silo.KafkaPort);
        watch.Restart();
        var exitCode = await silo.TerminateAsync();
        var stopped = watch.Elapsed;
        var marker = File.Exists(Path.Combine(data, ".clean_shutdown")) && exitCode == 0;
        var errors = silo.Output.Split('\n').Count(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
        var closed = ClosedLine().Match(silo.Output) is { Success: true } m ? $"{m.Groups["ms"].Value} ms" : "?";
        return $"| {partitions} | {activated.TotalSeconds:F1} s | {stopped.TotalSeconds:F2} s | {(marker ? "written" : "MISSING")} | {errors} | {closed} |";
    }

    /// <summary>Writes <paramref name="records"/> records round-robin over the partitions, counting acknowledgements per partition.</summary>
    private static void Produce(string bootstrap, string topic, int partitions, long records, long[] acknowledged, int recordSize = RecordSize)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.Leader,
            LingerMs = 20,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 1_000_000,
            QueueBufferingMaxKbytes = 1_048_576,
            EnableIdempotence = false,
        };
        long failed = 0;
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        var value = new byte[recordSize];
        Random.Shared.NextBytes(value);
        Action<DeliveryReport<Null, byte[]>> delivered = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
            else
            {
                Interlocked.Increment(ref acknowledged[report.Partition.Value]);
            }
        };
        for (long i = 0; i < records; i++)
        {
            var partition = new TopicPartition(topic, (int)(i % partitions));
            while (true)
            {
                try
                {
                    producer.Produce(partition, new Message<Null, byte[]> { Value = value }, delivered);
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(10));
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} records were not delivered.");
        }
    }

    private static async Task<Match?> WaitForLineAsync(SiloLauncher silo, Regex line, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (line.Match(silo.Output) is { Success: true } match)
            {
                return match;
            }

            await Task.Delay(100);
        }

        return null;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Tributary.Grains.Storage.LogManager"] = "Information",
    };

    [GeneratedRegex(@"Recovered \d+ logs in .* in (?<ms>\d+) ms: .*; (?<bytes>\d+) bytes validated in all")]
    private static partial Regex RecoveredLine();

    [GeneratedRegex(@"flushed and closed in (?<ms>\d+) ms")]
    private static partial Regex ClosedLine();
}
