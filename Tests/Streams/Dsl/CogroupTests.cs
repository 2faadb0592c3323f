using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

/// <summary>Kafka's CogroupedKStreamImplTest cases: one aggregate per key fed by several grouped streams.</summary>
public sealed class CogroupTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "cogroups",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    private static readonly Consumed<string, string> Strings = Consumed.With(Serdes.String(), Serdes.String());

    [Fact]
    public void TwoStreamsWithSharedKeys_FoldIntoOneAggregatePerKey_InArrivalOrder()
    {
        var builder = new StreamsBuilder();
        var one = builder.Stream("one", Strings).GroupByKey();
        var two = builder.Stream("two", Strings).GroupByKey();
        one.Cogroup<string>((_, value, aggregate) => aggregate + value)
            .Cogroup(two, (_, value, aggregate) => aggregate + value)
            .Aggregate(() => "")
            .ToStream()
            .To("output");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var first = driver.CreateInputTopic("one", Serdes.String(), Serdes.String());
        var second = driver.CreateInputTopic("two", Serdes.String(), Serdes.String());

        first.PipeInput("k1", "A", 0L);
        first.PipeInput("k2", "A", 1L);
        first.PipeInput("k1", "A", 10L);
        first.PipeInput("k2", "A", 100L);
        second.PipeInput("k2", "B", 100L);
        second.PipeInput("k2", "B", 200L);
        second.PipeInput("k1", "B", 1L);
        second.PipeInput("k2", "B", 500L);
        second.PipeInput("k1", "B", 500L);
        second.PipeInput("k2", "B", 500L);
        second.PipeInput("k3", "B", 500L);

        Assert.Equal(
            [("k1", "A"), ("k2", "A"), ("k1", "AA"), ("k2", "AA"), ("k2", "AAB"), ("k2", "AABB"), ("k1", "AAB"), ("k2", "AABBB"), ("k1", "AABB"),
                ("k2", "AABBBB"), ("k3", "B")],
            driver.CreateOutputTopic("output", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
    }

    [Fact]
    public void StreamsOfDifferentValueTypes_FoldIntoAnAggregateOfAThirdType_KeptInTheNamedStore()
    {
        var builder = new StreamsBuilder();
        var text = builder.Stream("one", Strings).GroupByKey();
        var numbers = builder.Stream("two", Consumed.With(Serdes.String(), Serdes.Int32())).GroupByKey();
        text.Cogroup<int>((_, value, sum) => sum + int.Parse(value, System.Globalization.CultureInfo.InvariantCulture))
            .Cogroup(numbers, (_, value, sum) => sum + value)
            .Aggregate(() => 0, materialized: Materialized.As<string, int>("store1") with { ValueSerde = Serdes.Int32() })
            .ToStream()
            .To("output", Produced.With(Serdes.String(), Serdes.Int32()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var first = driver.CreateInputTopic("one", Serdes.String(), Serdes.String());
        var second = driver.CreateInputTopic("two", Serdes.String(), Serdes.Int32());

        first.PipeInput("k1", "1", 0L);
        first.PipeInput("k2", "1", 1L);
        first.PipeInput("k1", "1", 10L);
        second.PipeInput("k2", 2, 100L);
        second.PipeInput("k1", 2, 1L);
        second.PipeInput("k2", 3, 500L);
        first.PipeInput("k1", null!, 600L);

        // A null value is skipped, as Kafka's aggregations skip it.
        Assert.Equal(
            [("k1", 1), ("k2", 1), ("k1", 2), ("k2", 3), ("k1", 4), ("k2", 6)],
            driver.CreateOutputTopic("output", Serdes.String(), Serdes.Int32()).ReadKeyValuesToList());
        Assert.Equal(4, driver.GetKeyValueStore<string, int>("store1").Get("k1"));
        Assert.Equal(6, driver.GetKeyValueStore<string, int>("store1").Get("k2"));
    }

    [Fact]
    public void AStreamWhoseKeyChanged_IsRepartitionedBeforeTheCogroup_AndTheTableCanBeJoined()
    {
        var builder = new StreamsBuilder();
        var byValue = builder.Stream("one", Strings).Map((key, value) => new KeyValue<string, string>(value, key)).GroupByKey();
        var byKey = builder.Stream("two", Strings).GroupByKey();
        var totals = byValue.Cogroup<string>((_, value, aggregate) => aggregate + value)
            .Cogroup(byKey, (_, value, aggregate) => aggregate + value.ToUpperInvariant())
            .Aggregate(() => ">", Named.As("totals"), Materialized.As<string, string>("totals-store"));
        totals.MapValues(v => v.Length).ToStream().To("lengths", Produced.With(Serdes.String(), Serdes.Int32()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var first = driver.CreateInputTopic("one", Serdes.String(), Serdes.String());
        var second = driver.CreateInputTopic("two", Serdes.String(), Serdes.String());

        first.PipeInput("a", "x");
        second.PipeInput("x", "b");
        first.PipeInput("c", "x");
        second.PipeInput("y", "d");

        Assert.Equal(">aBc", driver.GetKeyValueStore<string, string>("totals-store").Get("x"));
        Assert.Equal(">D", driver.GetKeyValueStore<string, string>("totals-store").Get("y"));
        Assert.Equal(
            [("x", 2), ("x", 3), ("x", 4), ("y", 2)],
            driver.CreateOutputTopic("lengths", Serdes.String(), Serdes.Int32()).ReadKeyValuesToList());
    }

    [Fact]
    public void CogroupingTheSameStreamAgain_ReplacesItsAggregator_AsKafkaDoes()
    {
        var builder = new StreamsBuilder();
        var one = builder.Stream("one", Strings).GroupByKey();
        one.Cogroup<string>((_, value, aggregate) => aggregate + "first:" + value)
            .Cogroup(one, (_, value, aggregate) => aggregate + value)
            .Aggregate(() => "")
            .ToStream()
            .To("output");
        using var driver = new TopologyTestDriver(builder.Build(), Config);

        driver.CreateInputTopic("one", Serdes.String(), Serdes.String()).PipeInput("k", "v");

        Assert.Equal([("k", "v")], driver.CreateOutputTopic("output", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
    }

    [Fact]
    public void WindowedCogroups_FoldEveryStreamIntoTheKeysWindows_TumblingSlidingAndSessions()
    {
        var builder = new StreamsBuilder();
        var text = builder.Stream("one", Strings).GroupByKey();
        var numbers = builder.Stream("two", Consumed.With(Serdes.String(), Serdes.Int32())).GroupByKey();
        CogroupedKStream<string, string> Cogrouped() =>
            text.Cogroup<string>((_, value, aggregate) => aggregate + value).Cogroup(numbers, (_, value, aggregate) => aggregate + value);
        Cogrouped().WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromMilliseconds(10)))
            .Aggregate(() => "", materialized: Materialized.As<string, string>("tumbling"))
            .ToStream().Map((window, value) => new KeyValue<string, string>($"{window.Key}@{window.Window.StartMs}", value)).To("tumbling-out");
        Cogrouped().WindowedBy(SlidingWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromMilliseconds(10)))
            .Aggregate(() => "", materialized: Materialized.As<string, string>("sliding"))
            .ToStream().Map((window, value) => new KeyValue<string, string>($"{window.Key}@{window.Window.StartMs}", value)).To("sliding-out");
        Cogrouped().WindowedBy(SessionWindows.OfInactivityGapWithNoGrace(TimeSpan.FromMilliseconds(10)))
            .Aggregate(() => "", (_, left, right) => left + right, materialized: Materialized.As<string, string>("sessions"))
            .ToStream().Map((window, value) => new KeyValue<string, string>($"{window.Key}@{window.Window.StartMs}-{window.Window.EndMs}", value)).To("sessions-out");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var first = driver.CreateInputTopic("one", Serdes.String(), Serdes.String());
        var second = driver.CreateInputTopic("two", Serdes.String(), Serdes.Int32());

        first.PipeInput("k", "A", 10L);
        second.PipeInput("k", 2, 15L);
        first.PipeInput("k", "B", 22L);

        Assert.Equal(
            [("k@10", "A"), ("k@10", "A2"), ("k@20", "B")],
            driver.CreateOutputTopic("tumbling-out", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
        // Sliding windows of 10: A's left window [0, 10]; 2's left [5, 15] from A and A's right [11, 21]; B's left [12, 22] and 2's right [16, 26].
        Assert.Equal(
            [("k@0", "A"), ("k@11", "2"), ("k@5", "A2"), ("k@16", "B"), ("k@12", "2B")],
            driver.CreateOutputTopic("sliding-out", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
        var sessions = new Dictionary<string, string?>();
        foreach (var (key, value) in driver.CreateOutputTopic("sessions-out", Serdes.String(), Serdes.String()).ReadKeyValuesToList())
        {
            sessions[key] = value;
        }

        // Each record within the gap of the session before merges into it; the sessions it replaced are deleted.
        Assert.Equal("A2B", sessions["k@10-22"]);
        Assert.Null(sessions["k@10-10"]);
        Assert.Null(sessions["k@10-15"]);
    }

    [Fact]
    public void NamedCogroup_NamesEachAggregateAndTheMerge_AsKafkaDescribesIt()
    {
        // Kafka's CogroupedKStreamImplTest.shouldNameProcessorsAndStoreBasedOnNamedParameter, word for word.
        var builder = new StreamsBuilder();
        var groupedOne = builder.Stream("one", Strings).GroupByKey();
        var groupedTwo = builder.Stream("two", Strings).GroupByKey();
        groupedOne.Cogroup<string>((_, value, aggregate) => aggregate + value)
            .Cogroup(groupedTwo, (_, value, aggregate) => aggregate + value)
            .Aggregate(() => "", Named.As("test"), Materialized.As<string, string>("store"))
            .ToStream()
            .To("output");

        Assert.Equal(
            "Topologies:\n"
            + "   Sub-topology: 0\n"
            + "    Source: KSTREAM-SOURCE-0000000000 (topics: [one])\n"
            + "      --> test-cogroup-agg-0\n"
            + "    Source: KSTREAM-SOURCE-0000000001 (topics: [two])\n"
            + "      --> test-cogroup-agg-1\n"
            + "    Processor: test-cogroup-agg-0 (stores: [store])\n"
            + "      --> test-cogroup-merge\n"
            + "      <-- KSTREAM-SOURCE-0000000000\n"
            + "    Processor: test-cogroup-agg-1 (stores: [store])\n"
            + "      --> test-cogroup-merge\n"
            + "      <-- KSTREAM-SOURCE-0000000001\n"
            + "    Processor: test-cogroup-merge (stores: [])\n"
            + "      --> KTABLE-TOSTREAM-0000000005\n"
            + "      <-- test-cogroup-agg-0, test-cogroup-agg-1\n"
            + "    Processor: KTABLE-TOSTREAM-0000000005 (stores: [])\n"
            + "      --> KSTREAM-SINK-0000000006\n"
            + "      <-- test-cogroup-merge\n"
            + "    Sink: KSTREAM-SINK-0000000006 (topic: output)\n"
            + "      <-- KTABLE-TOSTREAM-0000000005\n\n",
            builder.Build().Describe().ToString());
    }

    [Fact]
    public void ARepartitionedCogroup_NamesTheTopicAfterGrouped_AndGeneratesTheRest_AsKafkaDescribesIt()
    {
        // Kafka's CogroupedKStreamImplTest.shouldNameRepartitionTopic, word for word.
        var builder = new StreamsBuilder();
        var stream1 = builder.Stream("one", Strings);
        var test2 = builder.Stream("two", Strings);
        var groupedOne = stream1.Map((key, value) => new KeyValue<string, string>(value, key)).GroupByKey(Grouped.As<string, string>("repartition-test"));
        var groupedTwo = test2.GroupByKey();
        groupedOne.Cogroup<string>((_, value, aggregate) => aggregate + value)
            .Cogroup(groupedTwo, (_, value, aggregate) => aggregate + value)
            .Aggregate(() => "")
            .ToStream()
            .To("output");

        Assert.Equal(
            "Topologies:\n"
            + "   Sub-topology: 0\n"
            + "    Source: KSTREAM-SOURCE-0000000000 (topics: [one])\n"
            + "      --> KSTREAM-MAP-0000000002\n"
            + "    Processor: KSTREAM-MAP-0000000002 (stores: [])\n"
            + "      --> repartition-test-repartition-filter\n"
            + "      <-- KSTREAM-SOURCE-0000000000\n"
            + "    Processor: repartition-test-repartition-filter (stores: [])\n"
            + "      --> repartition-test-repartition-sink\n"
            + "      <-- KSTREAM-MAP-0000000002\n"
            + "    Sink: repartition-test-repartition-sink (topic: repartition-test-repartition)\n"
            + "      <-- repartition-test-repartition-filter\n\n"
            + "  Sub-topology: 1\n"
            + "    Source: KSTREAM-SOURCE-0000000001 (topics: [two])\n"
            + "      --> COGROUPKSTREAM-AGGREGATE-0000000008\n"
            + "    Source: repartition-test-repartition-source (topics: [repartition-test-repartition])\n"
            + "      --> COGROUPKSTREAM-AGGREGATE-0000000007\n"
            + "    Processor: COGROUPKSTREAM-AGGREGATE-0000000007 (stores: [COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000003])\n"
            + "      --> COGROUPKSTREAM-MERGE-0000000009\n"
            + "      <-- repartition-test-repartition-source\n"
            + "    Processor: COGROUPKSTREAM-AGGREGATE-0000000008 (stores: [COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000003])\n"
            + "      --> COGROUPKSTREAM-MERGE-0000000009\n"
            + "      <-- KSTREAM-SOURCE-0000000001\n"
            + "    Processor: COGROUPKSTREAM-MERGE-0000000009 (stores: [])\n"
            + "      --> KTABLE-TOSTREAM-0000000010\n"
            + "      <-- COGROUPKSTREAM-AGGREGATE-0000000007, COGROUPKSTREAM-AGGREGATE-0000000008\n"
            + "    Processor: KTABLE-TOSTREAM-0000000010 (stores: [])\n"
            + "      --> KSTREAM-SINK-0000000011\n"
            + "      <-- COGROUPKSTREAM-MERGE-0000000009\n"
            + "    Sink: KSTREAM-SINK-0000000011 (topic: output)\n"
            + "      <-- KTABLE-TOSTREAM-0000000010\n\n",
            builder.Build().Describe().ToString());
    }
}
