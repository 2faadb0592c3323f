using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.HotPaths;

/// <summary>
/// The broker's own produce and fetch capacity, measured with load the client does not bound (<see cref="RawProducer"/>,
/// <see cref="RawFetcher"/>: pre-built requests, several connections, responses counted rather than decoded record by
/// record) against a silo started here in its own process, beside one loopback TCP stream measured in the same run: MB/s,
/// the ratio to loopback, and the silos' CPU-seconds per GB (from their processes' CPU time), for each record size,
/// partition count and acks given; RF=1 on one silo, RF=3 on three joined through Redis (<c>--rf 1,3</c>), every
/// partition's requests sent to its leader. Beside each produce figure, the CPU-seconds that writing the same bytes to a
/// new file of this machine's disk costs (<see cref="RawFileWrite"/>, times the replication factor: every replica writes
/// them), measured just after it with as many bytes (<see cref="DiskBaselineBytes"/>). Every run comes after
/// <c>--warm-up-seconds</c> (4) of unmeasured produce and fetch.
/// </summary>
internal static partial class BrokerCapacity
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var seconds = TimeSpan.FromSeconds(arguments.Int("seconds", 8));
        var warmUp = TimeSpan.FromSeconds(arguments.Int("warm-up-seconds", 4));
        var connections = arguments.Int("connections", 4);
        var inFlight = arguments.Int("in-flight", 8);
        var batchBytes = arguments.Int("batch-bytes", 64 * 1024);
        var sizes = Ints(arguments.String("record-sizes", "100,1024"));
        var partitionCounts = Ints(arguments.String("partitions", "1,16"));
        var acksValues = arguments.String("acks", "1,all").Split(',').Select(a => a == "all" ? (short)-1 : short.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var replicationFactors = Ints(arguments.String("rf", "1"));
        var root = Path.Combine(Path.GetTempPath(), "tributary-capacity-" + Guid.NewGuid().ToString("N")[..8]);
        var quiet = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
        try
        {
            var loopback = await Loopback.MeasureAsync();
            Console.WriteLine($"loopback TCP: {loopback:F0} MB/s");
            Console.WriteLine("rf  records  partitions  acks  |  produce MB/s  x loopback  CPU-s/GB  disk CPU-s/GB  alloc MB/GB  |  fetch MB/s  x loopback  CPU-s/GB  alloc MB/GB");
            foreach (var rf in replicationFactors)
            {
                if (rf == 1)
                {
                    await using var silo = await SiloLauncher.StartAsync(Path.Combine(root, "single"), quiet);
                    var brokers = new Brokers(silo.BootstrapServers, _ => silo.KafkaPort, () => silo.CpuTime, [silo.HealthPort]);
                    await MeasureAllAsync(brokers, rf, sizes, partitionCounts, acksValues, connections, inFlight, batchBytes, seconds, warmUp, loopback, root);
                }
                else
                {
                    // Three silo processes joined through Redis, sharing this machine's cores with the client.
                    await using var redis = await RedisServer.StartAsync();
                    await using var cluster = new SiloCluster(["--membership", "Redis", "--cluster-connection", redis.ConnectionString], quiet, Path.Combine(root, "cluster"));
                    await cluster.StartAsync(1, 2, 3);
                    var brokers = new Brokers(
                        cluster.BootstrapServers, cluster.KafkaPort, () => cluster.Silos.Values.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.CpuTime), [.. cluster.Silos.Values.Select(s => s.HealthPort)]);
                    await MeasureAllAsync(brokers, rf, sizes, partitionCounts, acksValues, connections, inFlight, batchBytes, seconds, warmUp, loopback, root);
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

    /// <summary>
    /// Where the brokers are: bootstrap servers, a broker id's Kafka port, the CPU time of every silo process, and their
    /// health ports (whose <c>/metrics</c> give the bytes each process allocated).
    /// </summary>
    private sealed record Brokers(string BootstrapServers, Func<int, int> KafkaPort, Func<TimeSpan> CpuTime, IReadOnlyList<int> HealthPorts);

    private static async Task MeasureAllAsync(
        Brokers brokers, int rf, List<int> sizes, List<int> partitionCounts, List<short> acksValues, int connections, int inFlight, int batchBytes, TimeSpan seconds,
        TimeSpan warmUp, double loopback, string root)
    {
        if (warmUp > TimeSpan.Zero)
        {
            await WarmUpAsync(brokers, rf, sizes[0], partitionCounts.Max(), acksValues[0], connections, inFlight, batchBytes, warmUp);
        }

        foreach (var size in sizes)
        {
            foreach (var partitions in partitionCounts)
            {
                foreach (var acks in acksValues)
                {
                    // A topic of its own per acks value: an acks=all run on the acks=1 run's topic would wait, at first,
                    // for followers still copying that run's backlog, and charge that copying to its own few bytes.
                    var topic = $"capacity-{rf}-{size}-{partitions}-{(acks == -1 ? "all" : acks.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
                    Dictionary<int, int> leaders;
                    using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = brokers.BootstrapServers }).Build())
                    {
                        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = (short)rf }]);
                        leaders = await LeadersAsync(admin, topic, partitions, brokers.KafkaPort);
                    }

                    var (produced, produceCpu, produceSeconds, produceAllocated) = await MeasureAsync(brokers, () =>
                        RawProducer.RunAsync(leaders, topic, size, batchBytes, acks, connections, inFlight, seconds));
                    if (rf > 1)
                    {
                        await ReplicatedAsync(brokers.BootstrapServers, topic, partitions);
                    }

                    // As many bytes as the run produced, written just after it: both take page-cache pages the guest has
                    // not touched lately (see DiskBaselineBytes).
                    var (_, diskCpuPerGb) = RawFileWrite.Measure(root, batchBytes, DiskBaselineBytes(produced, batchBytes));

                    var (fetched, fetchCpu, fetchSeconds, fetchAllocated) = await MeasureAsync(brokers, () =>
                        RawFetcher.RunAsync(leaders, topic, connections, 1 << 20, seconds));
                    var produceRate = produced / 1e6 / produceSeconds;
                    var fetchRate = fetched / 1e6 / fetchSeconds;
                    Console.WriteLine(
                        $"{rf,2}  {size,7}  {partitions,10}  {(acks == -1 ? "all" : acks.ToString(System.Globalization.CultureInfo.InvariantCulture)),4}  |  " +
                        $"{produceRate,12:F1}  {produceRate / loopback,10:F3}  {produceCpu / (produced / 1e9),8:F2}  {diskCpuPerGb * rf,13:F2}  {produceAllocated / 1e6 / (produced / 1e9),11:F1}  |  " +
                        $"{fetchRate,10:F1}  {fetchRate / loopback,10:F3}  {fetchCpu / (fetched / 1e9),8:F2}  {fetchAllocated / 1e6 / (fetched / 1e9),11:F1}");
                }
            }
        }
    }

    /// <summary>
    /// How many bytes the disk baseline writes after a produce run: as many as the run produced (at least 256 MiB, at most
    /// 4 GiB, whole chunks). On a virtual machine whose balloon reports free pages to the host, a page-cache page the
    /// guest has not used for a few seconds costs a fault on the host at its first touch, several times the copy itself
    /// (here 2.4 CPU-s per GB written into tmpfs after an idle spell, 0.2 on pages just rewritten). A fixed 1 GiB written
    /// and deleted just before the run measured pages the previous file had freed a moment earlier, and handed the run a
    /// gigabyte of them: a baseline of the lucky case beside a run that, growing its log, mostly paid the unlucky one.
    /// Written just after the run, the baseline takes such pages as the run did; its file is deleted before the fetch
    /// run, whose seconds let the host take those pages back before the next produce run.
    /// </summary>
    private static long DiskBaselineBytes(long produced, int chunkBytes)
    {
        var bytes = Math.Clamp(produced, 256L << 20, 4L << 30);
        return bytes / chunkBytes * chunkBytes;
    }

    /// <summary>
    /// Produces to and fetches from a topic of its own, unmeasured, before any measured run: a silo just started compiles
    /// its hot paths again, optimized, only after their first calls and while nothing else waits to be compiled, and the
    /// figures are the broker's steady state, not that (a tenth of a fresh silo's samples were in the JIT through the
    /// first ten seconds of produce load).
    /// </summary>
    private static async Task WarmUpAsync(
        Brokers brokers, int rf, int size, int partitions, short acks, int connections, int inFlight, int batchBytes, TimeSpan duration)
    {
        var topic = $"capacity-{rf}-warm-up";
        Dictionary<int, int> leaders;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = brokers.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = (short)rf }]);
            leaders = await LeadersAsync(admin, topic, partitions, brokers.KafkaPort);
        }

        await RawProducer.RunAsync(leaders, topic, size, batchBytes, acks, connections, inFlight, duration);
        if (rf > 1)
        {
            await ReplicatedAsync(brokers.BootstrapServers, topic, partitions);
        }

        await RawFetcher.RunAsync(leaders, topic, connections, 1 << 20, duration);
    }

    /// <summary>
    /// Waits, outside every measurement, until the followers have copied what the run produced: the topic's high
    /// watermarks (which move as followers catch up) unchanged over a second. The next run's CPU is then its own, not
    /// partly the copying of this run's backlog.
    /// </summary>
    private static async Task ReplicatedAsync(string bootstrapServers, string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var request = Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, p), OffsetSpec = OffsetSpec.Latest() }).ToList();
        long previous = -1;
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var result = await admin.ListOffsetsAsync(request);
            var sum = result.ResultInfos.Sum(r => r.TopicPartitionOffsetError.Offset.Value);
            if (sum == previous)
            {
                return;
            }

            previous = sum;
            await Task.Delay(1000);
        }
    }

    /// <summary>Each partition's leader's Kafka port, once every partition has one.</summary>
    private static async Task<Dictionary<int, int>> LeadersAsync(IAdminClient admin, string topic, int partitions, Func<int, int> kafkaPort)
    {
        for (var attempt = 0; ; attempt++)
        {
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
            if (metadata.Partitions.Count == partitions && metadata.Partitions.All(p => p.Leader >= 0))
            {
                return metadata.Partitions.ToDictionary(p => p.PartitionId, p => kafkaPort(p.Leader));
            }

            if (attempt == 50)
            {
                throw new InvalidOperationException($"{topic} has partitions without a leader.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Bytes moved by <paramref name="load"/>, the silos' CPU-seconds meanwhile, the seconds it took, and the bytes the silos allocated meanwhile.</summary>
    private static async Task<(long Bytes, double CpuSeconds, double Seconds, double Allocated)> MeasureAsync(Brokers brokers, Func<Task<long>> load)
    {
        var allocated = await AllocatedAsync(brokers);
        var cpu = brokers.CpuTime();
        var watch = Stopwatch.StartNew();
        var bytes = await load();
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (brokers.CpuTime() - cpu).TotalSeconds;
        return (bytes, cpuSeconds, seconds, await AllocatedAsync(brokers) - allocated);
    }

    /// <summary>
    /// The bytes the silo processes have allocated since they started, summed: .NET's <c>dotnet.gc.heap.total_allocated</c>
    /// from each one's <c>/metrics</c>.
    /// </summary>
    private static async Task<double> AllocatedAsync(Brokers brokers)
    {
        using var http = new HttpClient();
        var sum = 0.0;
        foreach (var port in brokers.HealthPorts)
        {
            var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            var match = AllocatedMetric().Match(text);
            sum += match.Success
                ? double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"The silo on health port {port} reports no dotnet_gc_heap_total_allocated_bytes.");
        }

        return sum;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^dotnet_gc_heap_total_allocated_bytes(?:_total)?(?:\{[^}]*\})? (?<value>\S+)", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex AllocatedMetric();

    private static List<int> Ints(string list) => [.. list.Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
}
