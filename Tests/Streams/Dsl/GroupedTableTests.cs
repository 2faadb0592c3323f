using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

/// <summary>
/// Aggregations of a table grouped by a new key (Kafka's <c>KGroupedTable</c>): a row that changes group leaves the
/// old one (its subtractor) and joins the new one (its adder); a deleted row leaves its group.
/// </summary>
public sealed class GroupedTableTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "grouped-tables",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    [Fact]
    public void CountPerRegion_FollowsUsersMovingBetweenRegions_AndUsersDeleted()
    {
        var builder = new StreamsBuilder();
        builder.Table<string, string>("users")
            .GroupBy((user, region) => KeyValue<string, string>.Pair(region, user))
            .Count()
            .ToStream()
            .To("regions", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var users = driver.CreateInputTopic("users", Serdes.String(), Serdes.String());

        users.PipeInput("alice", "eu", 1);
        users.PipeInput("bob", "eu", 2);
        users.PipeInput("carol", "us", 3);
        users.PipeInput("alice", "us", 4);   // leaves eu first, then joins us
        users.PipeInput("bob", null!, 5);    // deleted: leaves eu

        Assert.Equal(
            [("eu", 1L), ("eu", 2L), ("us", 1L), ("eu", 1L), ("us", 2L), ("eu", 0L)],
            driver.CreateOutputTopic("regions", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
        Assert.Equal(2L, driver.GetKeyValueStore<string, long>("KTABLE-AGGREGATE-STATE-STORE-0000000004").Get("us"));
    }

    [Fact]
    public void ARowChangingWithinItsGroup_IsSubtractedAndAddedInOneUpdate()
    {
        var builder = new StreamsBuilder();
        builder.Table<string, string>("prices")
            .GroupBy((item, entry) => KeyValue<string, long>.Pair(entry.Split(':')[0], long.Parse(entry.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)),
                Grouped.With(Serdes.String(), Serdes.Int64()))
            .Reduce((total, price) => total + price, (total, price) => total - price, materialized: Materialized.As<string, long>("totals"))
            .ToStream()
            .To("totals", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var prices = driver.CreateInputTopic("prices", Serdes.String(), Serdes.String());

        prices.PipeInput("apple", "fruit:3", 1);
        prices.PipeInput("pear", "fruit:4", 2);
        prices.PipeInput("apple", "fruit:5", 3);   // one update 9, not 4 then 9
        prices.PipeInput("pear", "veg:4", 4);

        Assert.Equal(
            [("fruit", 3L), ("fruit", 7L), ("fruit", 9L), ("fruit", 5L), ("veg", 4L)],
            driver.CreateOutputTopic("totals", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
    }

    [Fact]
    public void AnAggregate_StartsEachGroupFromItsInitializer()
    {
        var builder = new StreamsBuilder();
        builder.Table<string, string>("words")
            .GroupBy((_, word) => KeyValue<string, string>.Pair(word[..1], word))
            .Aggregate(() => 0L, (_, word, total) => total + word.Length, (_, word, total) => total - word.Length,
                materialized: Materialized.As<string, long>("letters").WithValueSerde(Serdes.Int64()))
            .ToStream()
            .To("letters", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var words = driver.CreateInputTopic("words", Serdes.String(), Serdes.String());

        words.PipeInput("1", "kafka", 1);
        words.PipeInput("2", "kotlin", 2);
        words.PipeInput("1", "orleans", 3);

        Assert.Equal(
            [("k", 5L), ("k", 11L), ("k", 6L), ("o", 7L)],
            driver.CreateOutputTopic("letters", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
    }

    [Fact]
    public void AnAggregate_KeepsTheLatestTimestampOfItsRows_AsKafkasTimestampedStores()
    {
        var builder = new StreamsBuilder();
        builder.Table<string, string>("users")
            .GroupBy((user, region) => KeyValue<string, string>.Pair(region, user))
            .Count()
            .ToStream()
            .To("regions", Produced.With(Serdes.String(), Serdes.Int64()));
        builder.Stream<string, string>("clicks")
            .GroupByKey()
            .Count(materialized: Materialized.As<string, long>("clicks-store"))
            .ToStream()
            .To("click-counts", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var users = driver.CreateInputTopic("users", Serdes.String(), Serdes.String());
        var clicks = driver.CreateInputTopic("clicks", Serdes.String(), Serdes.String());

        users.PipeInput("alice", "eu", 10);
        users.PipeInput("bob", "eu", 5);     // out of order: the count keeps time 10
        users.PipeInput("alice", "us", 20);
        clicks.PipeInput("page", "x", 30);
        clicks.PipeInput("page", "x", 25);

        Assert.Equal(
            [("eu", 1L, 10L), ("eu", 2L, 10L), ("eu", 1L, 20L), ("us", 1L, 20L)],
            driver.CreateOutputTopic("regions", Serdes.String(), Serdes.Int64()).ReadRecordsToList().Select(r => (r.Key, r.Value, r.Timestamp)));
        Assert.Equal(
            [30L, 30L],
            driver.CreateOutputTopic("click-counts", Serdes.String(), Serdes.Int64()).ReadRecordsToList().Select(r => r.Timestamp));
        Assert.Equal(2L, driver.GetKeyValueStore<string, long>("clicks-store").Get("page"));
    }

    [Fact]
    public void TheTopology_IsNamedAsKafkaNamesIt()
    {
        var builder = new StreamsBuilder();
        builder.Table<string, string>("input").GroupBy((k, v) => KeyValue<string, string>.Pair(v, k)).Count();

        var described = builder.Build().Describe().ToString();

        Assert.Contains("Processor: KTABLE-SELECT-0000000003 (stores: [])", described, StringComparison.Ordinal);
        Assert.Contains("Sink: KSTREAM-SINK-0000000005 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition)", described, StringComparison.Ordinal);
        Assert.Contains("Source: KSTREAM-SOURCE-0000000006 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition])", described, StringComparison.Ordinal);
        Assert.Contains("Processor: KTABLE-AGGREGATE-0000000007 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000004])", described, StringComparison.Ordinal);
    }
}
