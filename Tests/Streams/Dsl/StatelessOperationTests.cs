using System.Text;
using Confluent.Kafka;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

public sealed class StatelessOperationTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "stateless",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    [Fact]
    public void FilterAndFilterNot_KeepAndDropByPredicate()
    {
        var builder = new StreamsBuilder();
        var numbers = builder.Stream("in", Consumed.With(Serdes.String(), Serdes.Int32()));
        numbers.Filter((_, v) => v % 2 == 0).To("even", Produced.With(Serdes.String(), Serdes.Int32()));
        numbers.FilterNot((_, v) => v % 2 == 0).To("odd", Produced.With(Serdes.String(), Serdes.Int32()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.Int32());

        foreach (var n in Enumerable.Range(1, 6))
        {
            input.PipeInput("k", n);
        }

        Assert.Equal([2, 4, 6], driver.CreateOutputTopic("even", Serdes.String(), Serdes.Int32()).ReadValuesToList());
        Assert.Equal([1, 3, 5], driver.CreateOutputTopic("odd", Serdes.String(), Serdes.Int32()).ReadValuesToList());
    }

    [Fact]
    public void MapAndSelectKey_ChangeKeys_MapValues_KeepThem()
    {
        var builder = new StreamsBuilder();
        var stream = builder.Stream<string, string>("in");
        stream.Map((k, v) => KeyValue<string, int>.Pair(v, k.Length)).To("mapped", Produced.With(Serdes.String(), Serdes.Int32()));
        stream.SelectKey((_, v) => v.ToUpperInvariant()).To("rekeyed");
        stream.MapValues((k, v) => $"{k}:{v}").To("values");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeInput("abc", "x");

        Assert.Equal(("x", 3), driver.CreateOutputTopic("mapped", Serdes.String(), Serdes.Int32()).ReadKeyValue());
        Assert.Equal(("X", "x"), driver.CreateOutputTopic("rekeyed", Serdes.String(), Serdes.String()).ReadKeyValue());
        Assert.Equal(("abc", "abc:x"), driver.CreateOutputTopic("values", Serdes.String(), Serdes.String()).ReadKeyValue());
    }

    [Fact]
    public void FlatMapAndFlatMapValues_EmitEveryElement_WithTheInputsTimestamp()
    {
        var builder = new StreamsBuilder();
        var stream = builder.Stream<string, string>("in");
        stream.FlatMapValues(v => v.Split(' ')).To("words");
        stream.FlatMap((k, v) => v.Split(' ').Select(w => KeyValue<string, string>.Pair(w, k))).To("inverted");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeInput("line-1", "a b c", 42);

        var words = driver.CreateOutputTopic("words", Serdes.String(), Serdes.String()).ReadRecordsToList();
        Assert.Equal(["a", "b", "c"], words.Select(r => r.Value));
        Assert.All(words, r => Assert.Equal(("line-1", 42L), (r.Key, r.Timestamp)));
        Assert.Equal(
            [("a", "line-1"), ("b", "line-1"), ("c", "line-1")],
            driver.CreateOutputTopic("inverted", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
    }

    [Fact]
    public void Split_SendsEachRecordToTheFirstMatchingBranch_OrTheDefault()
    {
        var builder = new StreamsBuilder();
        var branches = builder.Stream("in", Consumed.With(Serdes.String(), Serdes.Int32()))
            .Split(Named.As("size-"))
            .Branch((_, v) => v < 10, Branched<string, int>.As("small"))
            .Branch((_, v) => v < 100, Branched<string, int>.As("medium"))
            .DefaultBranch(Branched<string, int>.As("large"));
        foreach (var (name, branch) in branches)
        {
            branch.To(name, Produced.With(Serdes.String(), Serdes.Int32()));
        }

        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.Int32());
        foreach (var n in new[] { 5, 50, 500, 9, 99 })
        {
            input.PipeInput("k", n);
        }

        Assert.Equal(["size-large", "size-medium", "size-small"], branches.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([5, 9], driver.CreateOutputTopic("size-small", Serdes.String(), Serdes.Int32()).ReadValuesToList());
        Assert.Equal([50, 99], driver.CreateOutputTopic("size-medium", Serdes.String(), Serdes.Int32()).ReadValuesToList());
        Assert.Equal([500], driver.CreateOutputTopic("size-large", Serdes.String(), Serdes.Int32()).ReadValuesToList());
    }

    [Fact]
    public void Split_WithoutDefaultBranch_DropsRecordsNoPredicateTakes_AndNumbersUnnamedBranches()
    {
        var builder = new StreamsBuilder();
        var branches = builder.Stream<string, string>("in")
            .Split()
            .Branch((_, v) => v.StartsWith('a'))
            .Branch((_, v) => v.StartsWith('b'))
            .NoDefaultBranch();
        Assert.Equal(["KSTREAM-BRANCH-00000000011", "KSTREAM-BRANCH-00000000012"], branches.Keys.Order(StringComparer.Ordinal));
        branches["KSTREAM-BRANCH-00000000011"].To("a");
        branches["KSTREAM-BRANCH-00000000012"].To("b");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeValueList(["apple", "cherry", "banana", "avocado"]);

        Assert.Equal(["apple", "avocado"], driver.CreateOutputTopic("a", Serdes.String(), Serdes.String()).ReadValuesToList());
        Assert.Equal(["banana"], driver.CreateOutputTopic("b", Serdes.String(), Serdes.String()).ReadValuesToList());
    }

    [Fact]
    public void MergePeekAndForeach_SeeEveryRecordOfBothStreams()
    {
        var builder = new StreamsBuilder();
        var peeked = new List<string>();
        var seen = new List<string>();
        builder.Stream<string, string>("left")
            .Merge(builder.Stream<string, string>("right"))
            .Peek((_, v) => peeked.Add(v))
            .Foreach((_, v) => seen.Add(v));
        using var driver = new TopologyTestDriver(builder.Build(), Config);

        driver.CreateInputTopic("left", Serdes.String(), Serdes.String()).PipeInput("k", "l1");
        driver.CreateInputTopic("right", Serdes.String(), Serdes.String()).PipeInput("k", "r1");
        driver.CreateInputTopic("left", Serdes.String(), Serdes.String()).PipeInput("k", "l2");

        Assert.Equal(["l1", "r1", "l2"], peeked);
        Assert.Equal(["l1", "r1", "l2"], seen);
    }

    [Fact]
    public void To_WithATopicNameExtractor_RoutesEachRecord_AndKeepsHeadersAndTimestamps()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in").To((key, _, _) => "route-" + key);
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeInput("a", "1", 1000, new Headers { { "trace", Encoding.UTF8.GetBytes("t-1") } });
        input.PipeInput("b", "2", 2000);

        var a = driver.CreateOutputTopic("route-a", Serdes.String(), Serdes.String()).ReadRecord();
        Assert.Equal(("1", 1000L, "t-1"), (a.Value, a.Timestamp, Encoding.UTF8.GetString(a.Headers.GetLastBytes("trace"))));
        Assert.Equal("2", driver.CreateOutputTopic("route-b", Serdes.String(), Serdes.String()).ReadValue());
        Assert.Contains("route-a", driver.ProducedTopicNames);
    }

    [Fact]
    public void Repartition_WritesThroughAnInternalTopic_NamedAfterTheApplication()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .SelectKey((_, v) => v)
            .Repartition(new Repartitioned<string, string>(Name: "by-value"))
            .To("out");
        using var driver = new TopologyTestDriver(builder.Build(), Config);

        driver.CreateInputTopic("in", Serdes.String(), Serdes.String()).PipeInput("k", "v");

        Assert.Equal(("v", "v"), driver.CreateOutputTopic("out", Serdes.String(), Serdes.String()).ReadKeyValue());
        Assert.Equal(1, driver.CreateOutputTopic("stateless-by-value-repartition", Serdes.String(), Serdes.String()).QueueSize);
    }

    [Fact]
    public void AMissingDefaultSerde_FailsWithKafkasAdvice()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in").To("out");
        using var driver = new TopologyTestDriver(builder.Build(), new StreamsConfig { ApplicationId = "no-serdes" });

        var error = Assert.Throws<StreamsException>(() => driver.CreateInputTopic("in", Serdes.String(), Serdes.String()).PipeInput("k", "v"));

        Assert.Contains("Please specify a key serde", error.Message);
    }

    [Fact]
    public void RecordsThatCannotBeDeserialized_FailByDefault_OrAreSkippedWhenToldTo()
    {
        var builder = new StreamsBuilder();
        builder.Stream("in", Consumed.With(Serdes.String(), Serdes.Int32())).To("out", Produced.With(Serdes.String(), Serdes.Int32()));

        using (var failing = new TopologyTestDriver(builder.Build(), Config))
        {
            var input = failing.CreateInputTopic("in", Serdes.String(), Serdes.String());
            Assert.Contains("Deserialization exception handler is set to fail", Assert.Throws<StreamsException>(() => input.PipeInput("k", "not four bytes")).Message);
        }

        using var skipping = new TopologyTestDriver(
            builder.Build(),
            new StreamsConfig
            {
                ApplicationId = "skipping",
                DefaultKeySerde = Serdes.String(),
                DeserializationExceptionHandler = DeserializationExceptionHandling.LogAndContinue,
            });
        skipping.CreateInputTopic("in", Serdes.String(), Serdes.String()).PipeInput("k", "not four bytes");
        skipping.CreateInputTopic("in", Serdes.String(), Serdes.Int32()).PipeInput("k", 7);
        Assert.Equal([7], skipping.CreateOutputTopic("out", Serdes.String(), Serdes.Int32()).ReadValuesToList());
    }
}
