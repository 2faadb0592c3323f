using System.Diagnostics;
using System.Globalization;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Tributary.Tests.Perf.Streams;

/// <summary>
/// The same word count and windowed count written with Streamiz.Kafka.Net (in-memory stores, without caching as
/// Tributary.Streams' uncached parts, so that both write every count change, or with its record cache as the cached
/// parts), for the Streams perf's comparison.
/// </summary>
internal static class StreamizPerf
{
    public static async Task<PartTime> RunAsync(
        string bootstrap, string input, string output, string name, int threads, bool windowed, Func<Stopwatch, Task<PartTime>> awaitUpdates, bool cached = false)
    {
        var builder = new StreamBuilder();
        var grouped = builder.Stream<string, string>(input)
            .FlatMapValues((line, _) => line.Split(' '))
            .GroupBy((_, word, _) => word);
        if (windowed)
        {
            grouped.WindowedBy(TumblingWindowOptions.Of(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)))
                .Count(Cached(InMemoryWindows.As<string, long>("streamiz-perf-windowed-counts", TimeSpan.FromSeconds(10)), cached))
                .ToStream()
                .Map((window, count, _) => KeyValuePair.Create(window.Key + "@" + window.Window.StartMs.ToString(CultureInfo.InvariantCulture), count))
                .To<StringSerDes, Int64SerDes>(output);
        }
        else
        {
            grouped.Count(Cached(InMemory.As<string, long>("streamiz-perf-counts"), cached))
                .ToStream()
                .To<StringSerDes, Int64SerDes>(output);
        }

        var stateDirectory = Path.Combine(Path.GetTempPath(), "streamiz-perf-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        var stopwatch = Stopwatch.StartNew();
        var stream = new KafkaStream(builder.Build(), new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = "streams-perf-" + name,
            BootstrapServers = bootstrap,
            AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
            NumStreamThreads = threads,
            StateDir = stateDirectory,
            DefaultStateStoreCacheMaxBytes = cached ? 10 * 1024 * 1024 : 0,
            CommitIntervalMs = cached ? 100 : 30_000,
            // Its information lines would fill the figures' output; Tributary.Streams' part logs nothing either.
            Logger = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        });
        try
        {
            await stream.StartAsync();
            return await awaitUpdates(stopwatch);
        }
        finally
        {
            stream.Dispose();
            try
            {
                Directory.Delete(stateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Streamiz may not have made its state directory, or still holds a file in it.
            }
        }
    }

    private static Streamiz.Kafka.Net.Table.Materialized<string, long, TStore> Cached<TStore>(Streamiz.Kafka.Net.Table.Materialized<string, long, TStore> materialized, bool cached)
        where TStore : Streamiz.Kafka.Net.Processors.IStateStore
        => cached ? materialized.WithCachingEnabled() : materialized;
}
