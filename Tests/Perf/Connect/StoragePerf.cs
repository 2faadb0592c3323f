using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Parquet;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Connect;

/// <summary>
/// The storage sink against its baselines, in one run on a silo started here. An Avro topic (Confluent's serializer,
/// the silo's Schema Registry) of N orders is written by the sink (HdfsSinkConnector, AvroConverter) into Parquet files
/// of <c>flush.size</c> records, against Parquet.Net writing the same rows from memory into as many files; then into
/// JSON-lines files against consumer-perf reading the same topic. A connector's time runs from its creation until its
/// committed files' names account for every record, so it includes the task's start. The directory is listed every
/// 10 ms: at 100 ms, the wait for the next listing had been up to a twentieth of the sink's time. The silo's CPU
/// seconds are taken for each part.
/// </summary>
internal static class StoragePerf
{
    private const string OrderSchema = """
        {"type":"record","name":"Order","namespace":"perf","fields":[
          {"name":"id","type":"long"},{"name":"customer","type":"string"},{"name":"amount","type":"double"},
          {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"note","type":"string"}]}
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static async Task<List<(string What, string Value, string Against)>> RunAsync(Arguments arguments)
    {
        var records = arguments.Int("records", 1_000_000);
        var partitions = arguments.Int("partitions", 2);
        var flushSize = arguments.Int("flush-size", 100_000);
        var roundCount = Math.Max(1, arguments.Int("rounds", 1));
        if (records % ((long)partitions * flushSize) != 0)
        {
            Console.WriteLine($"note: {records} records are not a whole number of files of {flushSize} per partition; each partition's last file waits for the scheduled rotation");
        }

        var root = Path.Combine(Path.GetTempPath(), "tributary-storage-perf-" + Guid.NewGuid().ToString("N")[..8]);
        var rows = new List<(string, string, string)>();
        try
        {
            await using var silo = await SiloLauncher.StartAsync(Path.Combine(root, "data"),
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
                ["--Tributary:Connect:OffsetFlushIntervalMs", "1000"]);
            Console.WriteLine($"silo pid {silo.ProcessId}");
            using var counters = new SiloRuntimeCounters(silo.HealthPort);
            var topic = "storage-perf-orders";
            await PerfTopics.EnsureAsync(silo.BootstrapServers, topic, partitions);
            Console.WriteLine($"producing {records} Avro orders ...");
            var bytes = Produce(silo, topic, partitions, records);
            var megabytes = bytes / 1e6;
            string Rate(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{records / seconds:F0} records/s, {megabytes / seconds:F1} MB/s");
            string Cpu(double seconds) => string.Create(CultureInfo.InvariantCulture, $"silo CPU {seconds:F1} s");

            // Steady state on both sides. The runtime compiles a method again, optimized, after its 30th call: code that
            // runs once per file (closing, encoding each column) was still being compiled during the measured part
            // after a warm-up of two files (a profile of the silo: a quarter of its samples in the JIT's thread). So the
            // warm-up writes files of a twentieth of flush.size, some twenty per partition, in each format measured. Then
            // one file of flush.size per partition: a small file's column writes complete at once, a full one's wait on
            // the store, and the code of those waits (Parquet.Net's asynchronous paths) was still compiled, first
            // unoptimized, during the measured part, the JIT's thread taking a sixth of the silo's samples there.
            Console.WriteLine("warming up ...");
            var warmUpRecords = Math.Min(records, flushSize * partitions);
            var warmUpFlushSize = Math.Max(1_000, flushSize / 20);
            foreach (var (name, size) in new[] { ("warm", warmUpFlushSize), ("warm-full", flushSize) })
            {
                await SinkAsync(silo, root, name, topic, "io.confluent.connect.hdfs.parquet.ParquetFormat", size, partitions, warmUpRecords);
                await SinkAsync(silo, root, name + "-json", topic, "io.confluent.connect.hdfs.json.JsonFormat", size, partitions, warmUpRecords);
                await ParquetFromMemoryAsync(Path.Combine(root, "baseline-" + name), warmUpRecords, size);
            }

            // Rounds alternate the baseline and the sink, so that both meet the machine's moods alike; the ratio of the
            // median round is the one reported. Parquet.Net's own rate moved from 1.1 to 1.9 M rows/s between runs.
            var rounds = new List<(double Baseline, double Sink, double Cpu, string Runtime)>();
            for (var round = 1; round <= roundCount; round++)
            {
                var label = roundCount > 1 ? $" (round {round} of {roundCount})" : "";
                Console.WriteLine($"Parquet.Net, {records} rows from memory in files of {flushSize}{label} ...");
                var parquetSeconds = await ParquetFromMemoryAsync(Path.Combine(root, $"baseline-{round}"), records, flushSize);
                Console.WriteLine($"  {Rate(parquetSeconds)}");

                Console.WriteLine($"HdfsSinkConnector -> Parquet{label} ...");
                var cpuBefore = silo.CpuTime;
                var runtime = await counters.ReadAsync();
                var sinkSeconds = await SinkAsync(silo, root, $"parquet-{round}", topic, "io.confluent.connect.hdfs.parquet.ParquetFormat", flushSize, partitions, records);
                var cpuSeconds = (silo.CpuTime - cpuBefore).TotalSeconds;
                rounds.Add((parquetSeconds, sinkSeconds, cpuSeconds, SiloRuntimeCounters.Spent(runtime, await counters.ReadAsync())));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Rate(sinkSeconds)}, {parquetSeconds / sinkSeconds:F2} x Parquet.Net; {Cpu(rounds[^1].Cpu)}{rounds[^1].Runtime}"));
            }

            var median = rounds.OrderBy(r => r.Baseline / r.Sink).ElementAt(rounds.Count / 2);
            var spread = roundCount > 1
                ? string.Create(CultureInfo.InvariantCulture,
                    $" (median of {roundCount} rounds; all {string.Join(", ", rounds.Select(r => (r.Baseline / r.Sink).ToString("F2", CultureInfo.InvariantCulture)))})")
                : "";
            rows.Add(("Parquet.Net from memory", Rate(median.Baseline), "baseline"));
            rows.Add(("topic -> Parquet files (sink)", Rate(median.Sink),
                string.Create(CultureInfo.InvariantCulture, $"{median.Baseline / median.Sink:F2} x Parquet.Net{spread}; {Cpu(median.Cpu)}{median.Runtime}")));

            Console.WriteLine("consumer-perf on the topic ...");
            var cpu = silo.CpuTime;
            var (_, _, consumeSeconds) = ConsumerPerf.Run(silo.BootstrapServers, topic, partitions, records);
            rows.Add(("consumer-perf (Confluent.Kafka)", Rate(consumeSeconds), Cpu((silo.CpuTime - cpu).TotalSeconds)));
            Console.WriteLine($"  {rows[^1]}");

            Console.WriteLine("HdfsSinkConnector -> JSON lines ...");
            cpu = silo.CpuTime;
            var before = await counters.ReadAsync();
            var jsonSeconds = await SinkAsync(silo, root, "json", topic, "io.confluent.connect.hdfs.json.JsonFormat", flushSize, partitions, records);
            var jsonRuntime = SiloRuntimeCounters.Spent(before, await counters.ReadAsync());
            rows.Add(("topic -> JSON-lines files (sink)", Rate(jsonSeconds),
                string.Create(CultureInfo.InvariantCulture,
                    $"{consumeSeconds / jsonSeconds:F2} x consumer-perf; {Cpu((silo.CpuTime - cpu).TotalSeconds)}{jsonRuntime}")));
            Console.WriteLine($"  {rows[^1]}");
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

    /// <summary>
    /// The orders, as the sink's files will hold them, dealt to the partitions in turn; returns the topic's value bytes.
    /// Dealt evenly, a million records in two partitions are five files of flush.size each per partition, the files
    /// Parquet.Net writes, all rotated by size: with the producer's sticky partitioner the split was uneven, and each
    /// partition's last, short file waited for a scheduled rotation, which timed the schedule rather than the sink.
    /// </summary>
    private static long Produce(SiloLauncher silo, string topic, int partitions, int records)
    {
        var schema = (RecordSchema)Avro.Schema.Parse(OrderSchema);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = silo.RegistryUrl });
        using var producer = new ProducerBuilder<Null, GenericRecord>(new ProducerConfig
        {
            BootstrapServers = silo.BootstrapServers, LingerMs = 20, BatchSize = 1 << 20, Acks = Acks.Leader,
        }).SetValueSerializer(new AvroSerializer<GenericRecord>(registry).AsSyncOverAsync()).Build();
        long bytes = 0;
        var start = DateTime.UtcNow;
        for (var i = 0; i < records; i++)
        {
            var (customer, amount, at, note) = Row(i, start);
            var order = new GenericRecord(schema);
            order.Add("id", (long)i);
            order.Add("customer", customer);
            order.Add("amount", amount);
            order.Add("at", at);
            order.Add("note", note);
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, i % partitions), new Message<Null, GenericRecord> { Value = order });
                    break;
                }
                catch (ProduceException<Null, GenericRecord> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }

            bytes += 5 + 8 + customer.Length + 8 + 8 + note.Length + 4; // the wire format's header and the Avro body, near enough
        }

        producer.Flush(TimeSpan.FromMinutes(5));
        return bytes;
    }

    private static (string Customer, double Amount, DateTime At, string Note) Row(int i, DateTime start) =>
        ($"customer-{i % 10_000:D5}", i % 1000 / 10.0, start.AddMilliseconds(i), $"an order of the run, number {i}");

    // Parquet.Net's own object serializer over rows already in memory, in files of flush.size rows with the sink's codec.
    private static async Task<double> ParquetFromMemoryAsync(string directory, int records, int flushSize)
    {
        Directory.CreateDirectory(directory);
        var start = DateTime.UtcNow;
        var rows = Enumerable.Range(0, records).Select(i =>
        {
            var (customer, amount, at, note) = Row(i, start);
            return new OrderRow { Id = i, Customer = customer, Amount = amount, At = at, Note = note };
        }).ToArray();
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy, RowGroupSize = 100_000 };
        var clock = Stopwatch.StartNew();
        for (var first = 0; first < records; first += flushSize)
        {
            await using var file = File.Create(Path.Combine(directory, $"orders+0+{first}.parquet"));
            await Parquet.Serialization.ParquetSerializer.SerializeAsync(new ArraySegment<OrderRow>(rows, first, Math.Min(flushSize, records - first)), file, options);
            file.Flush(flushToDisk: true);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private sealed class OrderRow
    {
        public long Id { get; set; }

        public string Customer { get; set; } = "";

        public double Amount { get; set; }

        public DateTime At { get; set; }

        public string Note { get; set; } = "";
    }

    /// <summary>Runs the sink over the topic until its committed files hold <paramref name="records"/> records; the seconds it took.</summary>
    private static async Task<double> SinkAsync(
        SiloLauncher silo, string root, string name, string topic, string format, int flushSize, int partitions, int records)
    {
        var store = Path.Combine(root, "lake-" + name);
        using var http = new HttpClient { BaseAddress = new Uri(silo.ConnectUrl), Timeout = TimeSpan.FromMinutes(2) };
        var connector = "storage-perf-" + name;
        var config = new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.hdfs.HdfsSinkConnector",
            ["tasks.max"] = partitions.ToString(CultureInfo.InvariantCulture),
            ["topics"] = topic,
            ["store.url"] = new Uri(store).AbsoluteUri,
            ["format.class"] = format,
            ["flush.size"] = flushSize.ToString(CultureInfo.InvariantCulture),
            ["timezone"] = "UTC",
            ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
            ["value.converter.schema.registry.url"] = silo.RegistryUrl,
            // max.poll.records stays at Kafka's 500. A put's records live from their read until their put ends, while
            // the runner converts the next batch: at 5,000 they outlived the collector's youngest generation, were
            // copied into the older ones, and collections stopped the silo for a third of the sink's time.
        };
        if (records % ((long)partitions * flushSize) != 0)
        {
            // Only a short last file needs the schedule: set always, it also cut files at each second's turn, and each
            // partition's last file then waited up to a second for it, the silo idle.
            config["rotate.schedule.interval.ms"] = "1000";
        }

        var clock = Stopwatch.StartNew();
        using (var created = await http.PutAsJsonAsync($"/connectors/{connector}/config", config))
        {
            if (!created.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Creating {connector} failed: {await created.Content.ReadAsStringAsync()}");
            }
        }

        var committed = 0L;
        while ((committed = Committed(Path.Combine(store, "topics", topic))) < records)
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"{connector}: {committed} of {records} records committed; status {await http.GetStringAsync($"/connectors/{connector}/status")}");
            }

            await Task.Delay(10);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        using var deleted = await http.DeleteAsync($"/connectors/{connector}");
        return seconds;
    }

    // The silo's JIT and collector pause seconds between two readings, when it serves them.
    // The records the committed files hold, from their names (the default partitioner: one file per range).
    private static long Committed(string directory) =>
        !Directory.Exists(directory) ? 0 : Directory.EnumerateFiles(directory, "*+*+*+*.*", SearchOption.AllDirectories)
            .Select(f => Path.GetFileNameWithoutExtension(f).Split('+'))
            .Where(p => p.Length == 4)
            .Sum(p => long.Parse(p[3], CultureInfo.InvariantCulture) - long.Parse(p[2], CultureInfo.InvariantCulture) + 1);
}
