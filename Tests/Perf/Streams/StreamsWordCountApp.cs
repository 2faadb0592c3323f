using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Tests.Perf.Streams;

/// <summary>
/// The word count as a process of its own, for tests that kill a stream application with <c>kill -9</c>: counts per
/// word from the input topic to the output topic (keys as strings, counts as Kafka's big-endian longs). Prints
/// <c>RUNNING</c> once the instance runs; closes cleanly when its standard input closes.
/// </summary>
internal static class StreamsWordCountApp
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var builder = new StreamsBuilder();
        builder.Stream(arguments.String("input", "streams-input"), Consumed.With(Serdes.String(), Serdes.String()))
            .FlatMapValues(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy((_, word) => word, Grouped.With(Serdes.String(), Serdes.String()))
            .Count(materialized: Materialized.As<string, long>("counts"))
            .ToStream()
            .To(arguments.String("output", "streams-output"), Produced.With(Serdes.String(), Serdes.Int64()));
        var guarantee = arguments.String("guarantee", "at_least_once") switch
        {
            "exactly_once_v2" => ProcessingGuarantee.ExactlyOnceV2,
            "at_least_once" => ProcessingGuarantee.AtLeastOnce,
            var other => throw new ArgumentException($"processing.guarantee {other} is not at_least_once or exactly_once_v2"),
        };
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = arguments.String("application-id", "streams-wordcount"),
            BootstrapServers = arguments.String("bootstrap", "localhost:9092"),
            ProcessingGuarantee = guarantee,
            NumStreamThreads = arguments.Int("threads", 2),
            CommitInterval = TimeSpan.FromMilliseconds(arguments.Int("commit-interval-ms", 100)),
            StatestoreCacheMaxBytes = arguments.Int("cache-max-bytes", 10 * 1024 * 1024),
            ConsumerConfig = new Dictionary<string, string> { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "500" },
        });
        streams.StateChanged += (_, state) =>
        {
            if (state == KafkaStreamsState.Running)
            {
                running.TrySetResult();
            }
        };
        await streams.StartAsync();
        await running.Task;
        Console.WriteLine("RUNNING");
        await Task.Run(() => Console.In.ReadToEnd());
        await streams.CloseAsync();
        return 0;
    }
}
