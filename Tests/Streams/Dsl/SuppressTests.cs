using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

/// <summary>
/// Suppression with a time limit and with bounded buffers (Kafka's <c>untilTimeLimit</c>, <c>BufferConfig</c>): a key's
/// latest value goes out once stream time has passed the limit since its first held-back update, or early when a
/// buffer that may emit early is full; a strict buffer that is full stops the application.
/// </summary>
public sealed class SuppressTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "suppress",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    [Fact]
    public void UntilTimeLimit_EmitsAKeysLatestCount_OnceTheLimitHasPassedSinceItsFirstHeldBackUpdate()
    {
        using var driver = CountsSuppressedBy(Suppressed.UntilTimeLimit(TimeSpan.FromMilliseconds(2), BufferConfig.Unbounded()));
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());
        var output = driver.CreateOutputTopic("out", Serdes.String(), Serdes.Int64());

        input.PipeInput("a", "v", 0);
        input.PipeInput("a", "v", 1);   // a keeps its buffer time 0
        Assert.True(output.IsEmpty);
        input.PipeInput("b", "v", 2);   // stream time 2: a, first held at 0, goes with its latest count
        Assert.Equal([("a", 2L, 1L)], output.ReadRecordsToList().Select(r => (r.Key, r.Value, r.Timestamp)));
        input.PipeInput("c", "v", 5);
        Assert.Equal([("b", 1L, 2L)], output.ReadRecordsToList().Select(r => (r.Key, r.Value, r.Timestamp)));
    }

    [Fact]
    public void UntilTimeLimit_OnATable_ForwardsADeletionAsTheKeysLatestUpdate()
    {
        var builder = new StreamsBuilder();
        builder.Table<string, string>("table")
            .Suppress(Suppressed.UntilTimeLimit(TimeSpan.FromMilliseconds(10), BufferConfig.Unbounded()))
            .ToStream()
            .To("out");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var table = driver.CreateInputTopic("table", Serdes.String(), Serdes.String());
        var output = driver.CreateOutputTopic("out", Serdes.String(), Serdes.String());

        table.PipeInput("k", "v", 0);
        table.PipeInput("k", null!, 1);
        table.PipeInput("x", "y", 20);

        Assert.Equal([("k", (string?)null, 1L)], output.ReadRecordsToList().Select(r => (r.Key, (string?)r.Value, r.Timestamp)));
    }

    [Fact]
    public void ABufferOfMaxRecords_EmitsItsOldestKeysEarly_WhenFull()
    {
        using var driver = CountsSuppressedBy(Suppressed.UntilTimeLimit(TimeSpan.FromHours(1), BufferConfig.MaxRecordsOf(1)));
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());
        var output = driver.CreateOutputTopic("out", Serdes.String(), Serdes.Int64());

        input.PipeInput("a", "v", 0);
        input.PipeInput("a", "v", 1);
        Assert.True(output.IsEmpty);
        input.PipeInput("b", "v", 2);
        input.PipeInput("c", "v", 3);

        Assert.Equal([("a", 2L), ("b", 1L)], output.ReadKeyValuesToList());
    }

    [Fact]
    public void ABufferOfMaxBytes_CountsKeysValuesAndTwoTimesPerKey()
    {
        // Each key here holds 1 + 8 + 16 = 25 bytes: two fit in 60, a third does not.
        using var driver = CountsSuppressedBy(Suppressed.UntilTimeLimit(TimeSpan.FromHours(1), BufferConfig.MaxBytesOf(60)));
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());
        var output = driver.CreateOutputTopic("out", Serdes.String(), Serdes.Int64());

        input.PipeInput("a", "v", 0);
        input.PipeInput("b", "v", 1);
        Assert.True(output.IsEmpty);
        input.PipeInput("c", "v", 2);

        Assert.Equal([("a", 1L)], output.ReadKeyValuesToList());
    }

    [Fact]
    public void AFullStrictBuffer_StopsTheApplication_WithKafkasMessage()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromSeconds(10)))
            .Count()
            .Suppress(Suppressed.UntilWindowCloses(BufferConfig.MaxRecordsOf(1).WithShutDownWhenFull()).WithName("final"))
            .ToStream()
            .To("out", Produced.With(WindowedSerdes.TimeWindowedSerdeFrom(Serdes.String(), TimeSpan.FromSeconds(10)), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeInput("a", "v", 0);
        var failure = Assert.ThrowsAny<Exception>(() => input.PipeInput("b", "v", 1));

        Assert.Contains("final buffer exceeded its max capacity. Currently [2/1] records", Flatten(failure));
    }

    [Fact]
    public void UntilWindowCloses_RefusesABufferThatWouldEmitEarly()
    {
        Assert.Throws<ArgumentException>(() => Suppressed.UntilWindowCloses(BufferConfig.MaxRecordsOf(10)));
        Assert.Throws<TopologyException>(() => new StreamsBuilder().Table<string, string>("t").Suppress(Suppressed.UntilWindowCloses()));
    }

    private static TopologyTestDriver CountsSuppressedBy(Suppressed suppressed)
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .GroupByKey()
            .Count()
            .Suppress(suppressed)
            .ToStream()
            .To("out", Produced.With(Serdes.String(), Serdes.Int64()));
        return new TopologyTestDriver(builder.Build(), Config);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " / " + Flatten(e.InnerException);
}
