using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Streams;

/// <summary>
/// Tributary.Streams against its baselines, in one run on a silo started here. The input is N lines of five words
/// (timestamps 1 ms apart). Each part counts words and ends when its output topic holds one update per word (no
/// cache: every count change is written), or, for the parts with record caches, when every word's latest count is
/// its final one, read by a consumer of this process (read_committed for exactly-once):
/// the word count with at_least_once (in-memory and RocksDB stores) and with exactly_once_v2, a count per word and 10-second tumbling window, and
/// the same word count written by hand with Confluent.Kafka (a consumer splitting lines into a repartition topic by
/// word, a second counting in a dictionary and producing the counts: no changelog, no fault tolerance), and the word
/// count and windowed count written with Streamiz.Kafka.Net. Each part's
/// time runs from its start to its last update; CPU seconds are this process's and the silo's.
/// </summary>
internal static class StreamsPerf
{
    private static readonly string[] Words = ["kafka", "streams", "orleans", "silo", "grain", "topic", "partition", "offset", "record", "batch",
        "window", "table", "join", "store", "commit", "task", "thread", "group", "broker", "replica"];

    public static async Task<List<(string What, string Value, string Against)>> RunAsync(Arguments arguments)
    {
        var lines = arguments.Int("lines", 200_000);
        var partitions = arguments.Int("partitions", 4);
        var threads = arguments.Int("threads", 2);
        // Which parts run (their names as printed, comma-separated), the warm-up always: a ratio is given when both its parts ran.
        var only = arguments.String("parts", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var root = Path.Combine(Path.GetTempPath(), "tributary-streams-perf-" + Guid.NewGuid().ToString("N")[..8]);
        var rows = new List<(string, string, string)>();
        try
        {
            await using var silo = await SiloLauncher.StartAsync(Path.Combine(root, "data"), new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });
            Console.WriteLine($"silo pid {silo.ProcessId}");
            const string input = "streams-perf-lines";
            await PerfTopics.EnsureAsync(silo.BootstrapServers, input, partitions);
            var data = Produce(silo.BootstrapServers, input, lines);
            var words = data.Words;
            Console.WriteLine($"{lines} lines, {words} words in {input}");
            void Add(string what, PartTime? part, Func<string> against)
            {
                if (part is { } ran)
                {
                    rows.Add((what, Rate(ran), against()));
                }
            }

            string Rate(PartTime time) => string.Create(CultureInfo.InvariantCulture,
                $"{lines / time.Last:F0} lines/s ({words / time.Last:F0} words/s; {lines / time.Steady:F0} lines/s after the first output)");

            async Task<PartTime?> PartAsync(string name, Func<string, string, Task<PartTime>> run)
            {
                if (only.Count > 0 && name != "warm" && !only.Contains(name))
                {
                    return null;
                }

                var output = $"streams-perf-{name}-out";
                await PerfTopics.EnsureAsync(silo.BootstrapServers, output, partitions);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var siloCpu = silo.CpuTime;
                var seconds = await run(name, output);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name}: {seconds.Last:F2} s (first output at {seconds.First:F2} s), process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s, silo CPU {(silo.CpuTime - siloCpu).TotalSeconds:F1} s"));
                return seconds;
            }

            Console.WriteLine("warming up ...");
            await PartAsync("warm", (name, output) => RunStreamsAsync(silo.BootstrapServers, input, output, name, data, threads, ProcessingGuarantee.AtLeastOnce, windowed: false));
            var stateDir = Path.Combine(root, "state");

            var byHand = await PartAsync("by-hand", (name, output) => ByHandAsync(silo.BootstrapServers, input, output, name, partitions, words));
            Add("word count by hand (Confluent.Kafka)", byHand, () => "baseline");
            var alos = await PartAsync("alos", (name, output) => RunStreamsAsync(silo.BootstrapServers, input, output, name, data, threads, ProcessingGuarantee.AtLeastOnce, windowed: false));
            Add("word count, at_least_once", alos, () => Ratio(byHand, alos, "by hand"));
            var rocksDb = await PartAsync("rocksdb", (name, output) => RunStreamsAsync(
                silo.BootstrapServers, input, output, name, data, threads, ProcessingGuarantee.AtLeastOnce, windowed: false, DslStoreType.RocksDb, stateDir));
            Add("word count, at_least_once, RocksDB store", rocksDb, () => Ratio(alos, rocksDb, "in-memory store"));
            var eos = await PartAsync("eos", (name, output) => RunStreamsAsync(silo.BootstrapServers, input, output, name, data, threads, ProcessingGuarantee.ExactlyOnceV2, windowed: false));
            Add("word count, exactly_once_v2", eos, () => Ratio(alos, eos, "at_least_once"));
            var windowed = await PartAsync("windowed", (name, output) => RunStreamsAsync(silo.BootstrapServers, input, output, name, data, threads, ProcessingGuarantee.AtLeastOnce, windowed: true));
            Add("count per word and 10 s window, at_least_once", windowed, () => Ratio(byHand, windowed, "word count by hand"));
            var rocksDbWindowed = await PartAsync("rocksdb-windowed", (name, output) => RunStreamsAsync(
                silo.BootstrapServers, input, output, name, data, threads, ProcessingGuarantee.AtLeastOnce, windowed: true, DslStoreType.RocksDb, stateDir));
            Add("windowed count, RocksDB window store", rocksDbWindowed, () => Ratio(windowed, rocksDbWindowed, "in-memory window store"));

            // Streamiz.Kafka.Net on the same input with the same threads: the .NET library users would otherwise take.
            var streamiz = await PartAsync("streamiz", (name, output) => StreamizPerf.RunAsync(silo.BootstrapServers, input, output, name, threads, windowed: false,
                stopwatch => Task.Run(() => AwaitUpdates(silo.BootstrapServers, output, words, readCommitted: false, stopwatch))));
            Add("word count with Streamiz.Kafka.Net", streamiz, () => "Tributary.Streams " + Ratio(streamiz, alos, "Streamiz"));
            var streamizWindowed = await PartAsync("streamiz-windowed", (name, output) => StreamizPerf.RunAsync(silo.BootstrapServers, input, output, name, threads, windowed: true,
                stopwatch => Task.Run(() => AwaitUpdates(silo.BootstrapServers, output, words, readCommitted: false, stopwatch))));
            Add("windowed count with Streamiz.Kafka.Net", streamizWindowed, () => "Tributary.Streams " + Ratio(streamizWindowed, windowed, "Streamiz"));

            // Both libraries with their record caches (10 MiB) and a commit every 100 ms: each part ends when every
            // word's (and window's) latest count is its final one, as fewer updates are written.
            var cached = await PartAsync("cached", (name, output) => RunStreamsAsync(
                silo.BootstrapServers, input, output, name, data, threads, ProcessingGuarantee.AtLeastOnce, windowed: false, cached: true));
            Add("word count, record cache, commit 100 ms", cached, () => Ratio(alos, cached, "without cache"));
            var streamizCached = await PartAsync("streamiz-cached", (name, output) => StreamizPerf.RunAsync(silo.BootstrapServers, input, output, name, threads, windowed: false,
                stopwatch => Task.Run(() => AwaitFinalCounts(silo.BootstrapServers, output, data.Counts, readCommitted: false, stopwatch, littleEndian: true)), cached: true));
            Add("word count with Streamiz.Kafka.Net, record cache", streamizCached, () => "Tributary.Streams " + Ratio(streamizCached, cached, "Streamiz"));
            var cachedWindowed = await PartAsync("cached-windowed", (name, output) => RunStreamsAsync(
                silo.BootstrapServers, input, output, name, data, threads, ProcessingGuarantee.AtLeastOnce, windowed: true, cached: true));
            Add("windowed count, record cache, commit 100 ms", cachedWindowed, () => Ratio(windowed, cachedWindowed, "without cache"));
            var streamizCachedWindowed = await PartAsync("streamiz-cached-windowed", (name, output) => StreamizPerf.RunAsync(silo.BootstrapServers, input, output, name, threads, windowed: true,
                stopwatch => Task.Run(() => AwaitFinalCounts(silo.BootstrapServers, output, data.WindowCounts, readCommitted: false, stopwatch, littleEndian: true)), cached: true));
            Add("windowed count with Streamiz.Kafka.Net, record cache", streamizCachedWindowed, () => "Tributary.Streams " + Ratio(streamizCachedWindowed, cachedWindowed, "Streamiz"));
            return rows;
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
    /// <paramref name="baseline"/>'s time over <paramref name="part"/>'s, in all and from each one's first output to its
    /// last: the second leaves out what both spend before processing (the group's initial rebalance delay, 3 s by
    /// default, and the first fetches), so it is the ratio of their processing rates.
    /// </summary>
    private static string Ratio(PartTime? baseline, PartTime? part, string against) => baseline is not { } b || part is not { } p
        ? "(the part to compare with did not run)"
        : string.Create(CultureInfo.InvariantCulture, $"{b.Last / p.Last:F2} x {against} ({b.Steady / p.Steady:F2} x after the first output)");

    /// <summary>Writes the lines; the words, and the final count of each word and of each word's 10-second window.</summary>
    private static Input Produce(string bootstrap, string topic, int lines)
    {
        var counts = new Dictionary<string, long>();
        var windowCounts = new Dictionary<string, long>();
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 20, BatchSize = 1_000_000 }).Build();
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - lines;
        long words = 0;
        for (var i = 0; i < lines; i++)
        {
            var lineWords = Enumerable.Range(0, 5).Select(j => Words[(i * 7 + j * 13) % Words.Length]).ToList();
            var line = string.Join(' ', lineWords);
            words += 5;
            foreach (var word in lineWords)
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
                var window = word + "@" + ((start + i) / 10_000 * 10_000).ToString(CultureInfo.InvariantCulture);
                windowCounts[window] = windowCounts.GetValueOrDefault(window) + 1;
            }

            producer.ProduceWithRetry(topic, new Message<string, string> { Key = "line-" + i, Value = line, Timestamp = new Timestamp(start + i, TimestampType.CreateTime) });
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        return new Input(words, counts, windowCounts);
    }

    /// <summary>What the input holds: its words, and the final count of each word and of each word's window (<c>word@start</c>).</summary>
    internal sealed record Input(long Words, IReadOnlyDictionary<string, long> Counts, IReadOnlyDictionary<string, long> WindowCounts)
    {
        public IReadOnlyDictionary<string, long> Final(bool windowed) => windowed ? WindowCounts : Counts;
    }

    /// <param name="store">the word count's store: in memory by default, as Streamiz's stores here</param>
    private static async Task<PartTime> RunStreamsAsync(
        string bootstrap, string input, string output, string name, Input data, int threads, ProcessingGuarantee guarantee, bool windowed,
        DslStoreType store = DslStoreType.InMemory, string? stateDir = null, bool cached = false)
    {
        var builder = new StreamsBuilder(new TopologyConfig { DefaultDslStore = store });
        var grouped = builder.Stream(input, Consumed.With(Serdes.String(), Serdes.String()))
            .FlatMapValues(line => line.Split(' '))
            .GroupBy((_, word) => word, Grouped.With(Serdes.String(), Serdes.String()));
        if (windowed)
        {
            // A grace that covers the input's span: records of several partitions meet out of order in the repartition topic.
            grouped.WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)))
                .Count()
                .ToStream()
                .Map((window, count) => KeyValuePair(window.Key + "@" + window.Window.StartMs.ToString(CultureInfo.InvariantCulture), count))
                .To(output, Produced.With(Serdes.String(), Serdes.Int64()));
        }
        else
        {
            grouped.Count().ToStream().To(output, Produced.With(Serdes.String(), Serdes.Int64()));
        }

        var stopwatch = Stopwatch.StartNew();
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = "streams-perf-" + name,
            BootstrapServers = bootstrap,
            NumStreamThreads = threads,
            ProcessingGuarantee = guarantee,
            StateDir = stateDir ?? Path.Combine(Path.GetTempPath(), "kafka-streams"),
            // Without the cache every count change is written; with it, each word's latest once per commit.
            StatestoreCacheMaxBytes = cached ? 10 * 1024 * 1024 : 0,
            CommitInterval = cached ? TimeSpan.FromMilliseconds(100) : null,
        });
        await streams.StartAsync();
        var readCommitted = guarantee == ProcessingGuarantee.ExactlyOnceV2;
        return await Task.Run(() => cached
            ? AwaitFinalCounts(bootstrap, output, data.Final(windowed), readCommitted, stopwatch)
            : AwaitUpdates(bootstrap, output, data.Words, readCommitted, stopwatch));
    }

    private static Tributary.Grains.Streams.State.KeyValue<string, long> KeyValuePair(string key, long value) => new(key, value);

    /// <summary>A consumer of an output topic from its start, of a group of its own.</summary>
    private static ConsumerConfig ReaderConfig(string bootstrap, bool readCommitted) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = "streams-perf-reader-" + Guid.NewGuid().ToString("N"),
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        IsolationLevel = readCommitted ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
    };

    /// <summary>Reads the output topic until each key's latest count is its final one; when its first and last records came.</summary>
    /// <param name="littleEndian">whether counts are written little-endian, as Streamiz's Int64SerDes writes them (Kafka's LongSerializer is big-endian)</param>
    internal static PartTime AwaitFinalCounts(
        string bootstrap, string topic, IReadOnlyDictionary<string, long> final, bool readCommitted, Stopwatch stopwatch, bool littleEndian = false)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(ReaderConfig(bootstrap, readCommitted)).Build();
        consumer.Subscribe(topic);
        var latest = new Dictionary<string, long>();
        var done = 0;
        var first = double.NaN;
        var last = 0.0;
        var deadline = TimeSpan.FromMinutes(10);
        while (done < final.Count)
        {
            if (stopwatch.Elapsed > deadline)
            {
                var behind = final.Where(f => latest.GetValueOrDefault(f.Key) != f.Value).Take(3).Select(f => $"{f.Key}: {latest.GetValueOrDefault(f.Key)} of {f.Value}");
                throw new TimeoutException($"{topic} held the final counts of {done} of {final.Count} keys after {deadline} ({string.Join(", ", behind)}, ...)");
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                var count = littleEndian
                    ? System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(result.Message.Value)
                    : System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(result.Message.Value);
                var wasDone = latest.TryGetValue(result.Message.Key, out var previous) && previous == final[result.Message.Key];
                latest[result.Message.Key] = count;
                done += (count == final[result.Message.Key] ? 1 : 0) - (wasDone ? 1 : 0);
                last = stopwatch.Elapsed.TotalSeconds;
                first = double.IsNaN(first) ? last : first;
            }
        }

        consumer.Close();
        return new PartTime(first, last);
    }

    /// <summary>Reads the output topic until it holds <paramref name="updates"/> records; when its first and last records came.</summary>
    private static PartTime AwaitUpdates(string bootstrap, string topic, long updates, bool readCommitted, Stopwatch stopwatch)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(ReaderConfig(bootstrap, readCommitted)).Build();
        consumer.Subscribe(topic);
        long seen = 0;
        var first = double.NaN;
        var last = 0.0;
        var deadline = TimeSpan.FromMinutes(10);
        while (seen < updates)
        {
            if (stopwatch.Elapsed > deadline)
            {
                throw new TimeoutException($"{topic} held {seen} of {updates} updates after {deadline}");
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not null)
            {
                seen++;
                last = stopwatch.Elapsed.TotalSeconds;
                first = double.IsNaN(first) ? last : first;
            }
        }

        consumer.Close();
        return new PartTime(first, last);
    }

    /// <summary>The word count by hand: lines split into a repartition topic by word, then counted in memory.</summary>
    private static async Task<PartTime> ByHandAsync(string bootstrap, string input, string output, string name, int partitions, long words)
    {
        var repartition = $"streams-perf-{name}-repartition";
        await PerfTopics.EnsureAsync(bootstrap, repartition, partitions);
        var stopwatch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var split = Task.Factory.StartNew(() => Stage(bootstrap, input, name + "-split", stop.Token, (producer, result) =>
        {
            foreach (var word in result.Message.Value.Split(' '))
            {
                producer.ProduceWithRetry(repartition, new Message<string, string> { Key = word, Value = "", Timestamp = result.Message.Timestamp });
            }
        }), TaskCreationOptions.LongRunning);
        var counts = new Dictionary<string, long>();
        var count = Task.Factory.StartNew(() => Stage(bootstrap, repartition, name + "-count", stop.Token, (producer, result) =>
        {
            var total = counts[result.Message.Key] = counts.GetValueOrDefault(result.Message.Key) + 1;
            producer.ProduceWithRetry(output, new Message<string, string> { Key = result.Message.Key, Value = total.ToString(CultureInfo.InvariantCulture), Timestamp = result.Message.Timestamp });
        }), TaskCreationOptions.LongRunning);
        var seconds = await Task.Run(() => AwaitUpdates(bootstrap, output, words, readCommitted: false, stopwatch));
        await stop.CancelAsync();
        await Task.WhenAll(split, count);
        return seconds;
    }

    /// <summary>One consume-produce loop of a group, committing every second after its output is flushed.</summary>
    private static void Stage(string bootstrap, string topic, string group, CancellationToken stop, Action<IProducer<string, string>, ConsumeResult<string, string>> handle)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            LingerMs = 100,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "streams-perf-" + group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var lastCommit = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
            {
                handle(producer, result);
            }

            if (lastCommit.Elapsed > TimeSpan.FromSeconds(1))
            {
                producer.Flush(TimeSpan.FromSeconds(30));
                try
                {
                    consumer.Commit();
                }
                catch (KafkaException e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_NoOffset)
                {
                }

                lastCommit.Restart();
            }
        }

        consumer.Close();
    }
}

/// <summary>When a part's first and last output records were read, in seconds since the part started.</summary>
internal readonly record struct PartTime(double First, double Last)
{
    /// <summary>From the first output to the last: the processing itself, without the start.</summary>
    public double Steady => Last - First;
}
