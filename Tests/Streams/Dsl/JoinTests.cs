using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

public sealed class JoinTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "joins",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    [Fact]
    public void AStreamTableJoin_UsesTheTablesValueAtTheTimeOfEachRecord()
    {
        var builder = new StreamsBuilder();
        var users = builder.Table<string, string>("users");
        var clicks = builder.Stream<string, string>("clicks");
        clicks.Join(users, (page, user) => $"{user} saw {page}").To("inner");
        clicks.LeftJoin(users, (page, user) => $"{user ?? "nobody"} saw {page}").To("left");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var userInput = driver.CreateInputTopic("users", Serdes.String(), Serdes.String());
        var clickInput = driver.CreateInputTopic("clicks", Serdes.String(), Serdes.String());

        clickInput.PipeInput("u1", "/home");
        userInput.PipeInput("u1", "ada");
        clickInput.PipeInput("u1", "/docs");
        userInput.PipeInput("u1", "ada lovelace");
        clickInput.PipeInput("u1", "/about");
        userInput.PipeInput("u1", null!);
        clickInput.PipeInput("u1", "/bye");

        Assert.Equal(
            ["ada saw /docs", "ada lovelace saw /about"],
            driver.CreateOutputTopic("inner", Serdes.String(), Serdes.String()).ReadValuesToList());
        Assert.Equal(
            ["nobody saw /home", "ada saw /docs", "ada lovelace saw /about", "nobody saw /bye"],
            driver.CreateOutputTopic("left", Serdes.String(), Serdes.String()).ReadValuesToList());
    }

    [Fact]
    public void AStreamWithAChangedKey_IsRepartitionedBeforeItJoinsATable()
    {
        var builder = new StreamsBuilder();
        var users = builder.Table<string, string>("users");
        builder.Stream<string, string>("orders")
            .SelectKey((_, order) => order.Split(':')[0])
            .Join(users, (order, user) => $"{order} by {user}")
            .To("out");
        var topology = builder.Build();
        using var driver = new TopologyTestDriver(topology, Config);

        driver.CreateInputTopic("users", Serdes.String(), Serdes.String()).PipeInput("u7", "grace");
        driver.CreateInputTopic("orders", Serdes.String(), Serdes.String()).PipeInput("order-1", "u7:book");

        Assert.Equal(("u7", "u7:book by grace"), driver.CreateOutputTopic("out", Serdes.String(), Serdes.String()).ReadKeyValue());
        Assert.Equal(2, topology.Describe().Subtopologies.Count);
        Assert.Contains("joins-KSTREAM-JOIN-0000000005-repartition", driver.ProducedTopicNames);
    }

    [Fact]
    public void ATableSource_IsNamedAndMaterializedAsKafkaNamesIt()
    {
        var builder = new StreamsBuilder();
        builder.Table<string, string>("users").ToStream().To("out");

        Assert.Equal(
            "Topologies:\n"
            + "   Sub-topology: 0\n"
            + "    Source: KSTREAM-SOURCE-0000000001 (topics: [users])\n"
            + "      --> KTABLE-SOURCE-0000000002\n"
            + "    Processor: KTABLE-SOURCE-0000000002 (stores: [users-STATE-STORE-0000000000])\n"
            + "      --> KTABLE-TOSTREAM-0000000003\n"
            + "      <-- KSTREAM-SOURCE-0000000001\n"
            + "    Processor: KTABLE-TOSTREAM-0000000003 (stores: [])\n"
            + "      --> KSTREAM-SINK-0000000004\n"
            + "      <-- KTABLE-SOURCE-0000000002\n"
            + "    Sink: KSTREAM-SINK-0000000004 (topic: out)\n"
            + "      <-- KTABLE-TOSTREAM-0000000003\n\n",
            builder.Build().Describe().ToString());
    }

    [Fact]
    public void TableTableJoins_KeepTheJoinedRowsOfEachKind_AndRetractRowsThatEnd()
    {
        var builder = new StreamsBuilder();
        var left = builder.Table<string, string>("left");
        var right = builder.Table<string, string>("right");
        left.Join(right, (l, r) => $"{l}+{r}").ToStream().To("inner");
        left.LeftJoin(right, (l, r) => $"{l}+{r ?? "-"}").ToStream().To("left-join");
        left.OuterJoin(right, (l, r) => $"{l ?? "-"}+{r ?? "-"}").ToStream().To("outer");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var leftInput = driver.CreateInputTopic("left", Serdes.String(), Serdes.String());
        var rightInput = driver.CreateInputTopic("right", Serdes.String(), Serdes.String());

        leftInput.PipeInput("a", "a1");
        rightInput.PipeInput("b", "b1");
        rightInput.PipeInput("a", "a2");
        leftInput.PipeInput("c", "c1");
        leftInput.PipeInput("c", null!);
        rightInput.PipeInput("a", null!);

        var inner = driver.CreateOutputTopic("inner", Serdes.String(), Serdes.String());
        Assert.Equal([("a", "a1+a2"), ("a", null!)], inner.ReadKeyValuesToList());
        Assert.Equal(
            new Dictionary<string, string> { ["a"] = "a1+-" },
            driver.CreateOutputTopic("left-join", Serdes.String(), Serdes.String()).ReadKeyValuesToMap());
        Assert.Equal(
            new Dictionary<string, string> { ["a"] = "a1+-", ["b"] = "-+b1" },
            driver.CreateOutputTopic("outer", Serdes.String(), Serdes.String()).ReadKeyValuesToMap());
    }

    [Fact]
    public void ATableTableJoinResult_TakesTheLaterOfBothRowsTimes()
    {
        var builder = new StreamsBuilder();
        var left = builder.Table<string, string>("left");
        var right = builder.Table<string, string>("right").Filter((_, _) => true);
        left.LeftJoin(right, (l, r) => $"{l}+{r ?? "-"}").ToStream().To("joined");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var leftInput = driver.CreateInputTopic("left", Serdes.String(), Serdes.String());
        var rightInput = driver.CreateInputTopic("right", Serdes.String(), Serdes.String());

        leftInput.PipeInput("a", "a1", 10);
        rightInput.PipeInput("a", "a2", 20);
        leftInput.PipeInput("a", "a3", 15);   // joined with the right row of time 20 (through the filter)
        leftInput.PipeInput("b", "b1", 5);    // no right row: its own time

        Assert.Equal(
            [("a", "a1+-", 10L), ("a", "a1+a2", 20L), ("a", "a3+a2", 20L), ("b", "b1+-", 5L)],
            driver.CreateOutputTopic("joined", Serdes.String(), Serdes.String()).ReadRecordsToList().Select(r => (r.Key, r.Value, r.Timestamp)));
    }

    [Fact]
    public void AJoinAgainstAFilteredTable_LooksUpThroughTheFilter()
    {
        var builder = new StreamsBuilder();
        var adults = builder.Table("ages", Consumed.With(Serdes.String(), Serdes.Int32())).Filter((_, age) => age >= 18);
        builder.Stream<string, string>("visits").Join(adults, (visit, age) => $"{visit}@{age}").To("out");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var ages = driver.CreateInputTopic("ages", Serdes.String(), Serdes.Int32());
        var visits = driver.CreateInputTopic("visits", Serdes.String(), Serdes.String());

        ages.PipeInput("kid", 9);
        ages.PipeInput("grown", 40);
        visits.PipeInput("kid", "bar");
        visits.PipeInput("grown", "bar");

        Assert.Equal(["bar@40"], driver.CreateOutputTopic("out", Serdes.String(), Serdes.String()).ReadValuesToList());
    }
}

public sealed class StreamStreamJoinTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "stream-joins",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    private static List<(string Key, string Value, long Timestamp)> Run(Func<KStream<string, string>, KStream<string, string>, KStream<string, string>> join)
    {
        var builder = new StreamsBuilder();
        join(builder.Stream<string, string>("left"), builder.Stream<string, string>("right")).To("out");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var left = driver.CreateInputTopic("left", Serdes.String(), Serdes.String());
        var right = driver.CreateInputTopic("right", Serdes.String(), Serdes.String());

        left.PipeInput("k1", "A", 0);
        right.PipeInput("k2", "x", 500);
        left.PipeInput("k3", "B", 2_000);
        right.PipeInput("k3", "b", 2_500);
        right.PipeInput("k3", "c", 3_500);   // 1.5 s after B: outside the window
        left.PipeInput("k4", "C", 10_000);

        return driver.CreateOutputTopic("out", Serdes.String(), Serdes.String()).ReadRecordsToList().Select(r => (r.Key, r.Value, r.Timestamp)).ToList();
    }

    private static readonly JoinWindows OneSecond = JoinWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromSeconds(1));

    [Fact]
    public void AnInnerJoin_PairsRecordsOfOneKeyWithinTheWindow_AtTheLaterTimestamp()
    {
        Assert.Equal([("k3", "B+b", 2_500L)], Run((l, r) => l.Join(r, (a, b) => $"{a}+{b}", OneSecond)));
    }

    [Fact]
    public void ALeftJoin_EmitsALeftRecordWithoutPartner_OnlyOnceItsWindowHasClosed()
    {
        Assert.Equal(
            [("k1", "A+null", 0L), ("k3", "B+b", 2_500L)],
            Run((l, r) => l.LeftJoin(r, (a, b) => $"{a}+{b ?? "null"}", OneSecond)));
    }

    [Fact]
    public void AnOuterJoin_EmitsUnpairedRecordsOfBothSides_AfterTheirWindowsClose()
    {
        Assert.Equal(
            [("k1", "A+null", 0L), ("k2", "null+x", 500L), ("k3", "B+b", 2_500L), ("k3", "null+c", 3_500L)],
            Run((l, r) => l.OuterJoin(r, (a, b) => $"{a ?? "null"}+{b ?? "null"}", OneSecond)));
    }
}
