using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

public sealed class AggregationTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "aggregation",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    [Fact]
    public void WordCount_CountsEachWordThroughTheRepartitionTopic_AndEmitsEveryUpdate()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("lines")
            .FlatMapValues(line => line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy((_, word) => word)
            .Count(materialized: Materialized.As<string, long>("counts-store"))
            .ToStream()
            .To("counts", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var lines = driver.CreateInputTopic("lines", Serdes.String(), Serdes.String());

        lines.PipeInput("Hello Kafka Streams");
        lines.PipeInput("All streams lead to Kafka");
        lines.PipeInput("Join Kafka Summit");

        var counts = driver.CreateOutputTopic("counts", Serdes.String(), Serdes.Int64());
        Assert.Equal(
            [("hello", 1L), ("kafka", 1L), ("streams", 1L), ("all", 1L), ("streams", 2L), ("lead", 1L), ("to", 1L), ("kafka", 2L),
             ("join", 1L), ("kafka", 3L), ("summit", 1L)],
            counts.ReadKeyValuesToList());
        Assert.Equal(3L, driver.GetKeyValueStore<string, long>("counts-store").Get("kafka"));
        Assert.Equal(8, driver.GetKeyValueStore<string, long>("counts-store").All().Count());
        Assert.Equal(11, driver.CreateOutputTopic("aggregation-counts-store-repartition", Serdes.String(), Serdes.String()).QueueSize);
    }

    [Fact]
    public void EveryChangeOfAnAggregate_IsWrittenToTheStoresChangelog()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in").GroupByKey().Count(materialized: Materialized.As<string, long>("per-key"));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeInput("a", "x", 10);
        input.PipeInput("a", "y", 20);
        input.PipeInput("b", "z", 30);

        var changelog = driver.CreateOutputTopic("aggregation-per-key-changelog", Serdes.String(), Serdes.Int64()).ReadRecordsToList();
        Assert.Equal([("a", 1L, 10L), ("a", 2L, 20L), ("b", 1L, 30L)], changelog.Select(r => (r.Key, r.Value, r.Timestamp)));
    }

    [Fact]
    public void NullKeysAndValues_AreNotCounted()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in").GroupByKey().Count().ToStream().To("out", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeInput(null!, "no key");
        input.PipeInput("k", null!);
        input.PipeInput("k", "v");

        Assert.Equal([("k", 1L)], driver.CreateOutputTopic("out", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
    }

    [Fact]
    public void ReduceAndAggregate_FoldValuesPerKey()
    {
        var builder = new StreamsBuilder();
        var grouped = builder.Stream("in", Consumed.With(Serdes.String(), Serdes.Int64())).GroupByKey();
        grouped.Reduce((sum, v) => sum + v).ToStream().To("sums", Produced.With(Serdes.String(), Serdes.Int64()));
        grouped.Aggregate(() => "", (_, v, text) => text + v, materialized: Materialized.With(Serdes.String(), Serdes.String()))
            .ToStream()
            .To("texts");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.Int64());

        input.PipeInput("a", 1);
        input.PipeInput("b", 10);
        input.PipeInput("a", 2);
        input.PipeInput("a", 3);

        Assert.Equal(
            [("a", 1L), ("b", 10L), ("a", 3L), ("a", 6L)],
            driver.CreateOutputTopic("sums", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
        Assert.Equal(
            [("a", "1"), ("b", "10"), ("a", "12"), ("a", "123")],
            driver.CreateOutputTopic("texts", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
    }

    [Fact]
    public void ATableFilter_RetractsARowThatStopsMatching()
    {
        var builder = new StreamsBuilder();
        builder.Stream("in", Consumed.With(Serdes.String(), Serdes.Int64()))
            .GroupByKey()
            .Reduce((_, v) => v)
            .Filter((_, v) => v >= 10)
            .ToStream()
            .To("big", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.Int64());

        input.PipeInput("a", 5);
        input.PipeInput("a", 50);
        input.PipeInput("a", 7);

        var output = driver.CreateOutputTopic("big", Serdes.String(), Serdes.Int64()).ReadRecordsToList();
        Assert.Equal(2, output.Count);
        Assert.Equal(50L, output[0].Value);
        Assert.Equal(0L, output[1].Value);
        input.PipeInput("a", 60);
        input.PipeInput("a", 8);
        Assert.Empty(driver.CreateOutputTopic("big", Serdes.String(), Serdes.Int64()).ReadKeyValuesToMap());
    }

    [Fact]
    public void ToTableAndTableMapValues_KeepTheLatestValuePerKey_AndATombstoneDeletes()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .ToTable(materialized: Materialized.As<string, string>("latest"))
            .MapValues(v => v.Length)
            .ToStream()
            .To("lengths", Produced.With(Serdes.String(), Serdes.Int32()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeInput("a", "x");
        input.PipeInput("b", "yyy");
        input.PipeInput("a", "xx");
        input.PipeInput("b", null!);

        var lengths = driver.CreateOutputTopic("lengths", Serdes.String(), Serdes.Int32());
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2 }, lengths.ReadKeyValuesToMap());
        var store = driver.GetKeyValueStore<string, string>("latest");
        Assert.Equal("xx", store.Get("a"));
        Assert.False(store.TryGet("b", out _));
    }

    [Fact]
    public void AStoreRange_IsInKeyByteOrder()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in").ToTable(materialized: Materialized.As<string, string>("table"));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());
        foreach (var key in new[] { "d", "a", "c", "b", "e" })
        {
            input.PipeInput(key, key.ToUpperInvariant());
        }

        var store = driver.GetKeyValueStore<string, string>("table");

        Assert.Equal(["b", "c", "d"], store.Range("b", "d").Select(e => e.Key));
        Assert.Equal(["A", "B", "C", "D", "E"], store.All().Select(e => e.Value));
    }

    [Fact]
    public void ARetentionPeriod_IsRefusedForAKeyValueStore_WhichWouldNotHonourIt()
    {
        var builder = new StreamsBuilder();
        var grouped = builder.Stream<string, string>("in").GroupByKey();

        var error = Assert.Throws<ArgumentException>(() => grouped.Count(materialized: Materialized.As<string, long>("counts").WithRetention(TimeSpan.FromHours(1))));

        Assert.Contains("counts is a key-value store", error.Message);
    }
}
