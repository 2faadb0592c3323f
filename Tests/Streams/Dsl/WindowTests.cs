using System.Buffers.Binary;
using System.Text;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

public sealed class WindowTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "windows",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    private static readonly ISerde<Windowed<string>> TenSecondWindows = WindowedSerdes.TimeWindowedSerdeFrom(Serdes.String(), TimeSpan.FromSeconds(10));

    [Fact]
    public void TumblingWindows_CountEachKeyPerWindow_AndDropRecordsAfterTheGrace()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("clicks")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)))
            .Count()
            .ToStream()
            .Map((windowed, count) => KeyValue<string, long>.Pair($"{windowed.Key}@{windowed.Window.StartMs}", count))
            .To("counts", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var clicks = driver.CreateInputTopic("clicks", Serdes.String(), Serdes.String());

        clicks.PipeInput("a", "x", 1_000);
        clicks.PipeInput("a", "x", 9_999);
        clicks.PipeInput("b", "x", 10_000);
        clicks.PipeInput("a", "x", 14_000);
        clicks.PipeInput("a", "x", 8_000);   // late, but within the grace of [0, 10000): stream time 14000 < 10000 + 5000
        clicks.PipeInput("b", "x", 21_000);
        clicks.PipeInput("a", "x", 3_000);   // too late: stream time 21000 >= 10000 + 5000

        Assert.Equal(
            [("a@0", 1L), ("a@0", 2L), ("b@10000", 1L), ("a@10000", 1L), ("a@0", 3L), ("b@20000", 1L)],
            driver.CreateOutputTopic("counts", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
    }

    [Fact]
    public void HoppingWindows_PutARecordInEveryWindowThatCoversIt()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromSeconds(10)).AdvanceBy(TimeSpan.FromSeconds(5)))
            .Count()
            .ToStream()
            .To("out", Produced.With(TenSecondWindows, Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);

        driver.CreateInputTopic("in", Serdes.String(), Serdes.String()).PipeInput("k", "v", 12_000);

        var windows = driver.CreateOutputTopic("out", TenSecondWindows, Serdes.Int64()).ReadKeyValuesToList();
        Assert.Equal([new Window(5_000, 15_000), new Window(10_000, 20_000)], windows.Select(w => w.Key.Window));
        Assert.All(windows, w => Assert.Equal(("k", 1L), (w.Key.Key, w.Value)));
    }

    [Fact]
    public void SuppressUntilWindowCloses_EmitsOneFinalCountPerWindow_WhenStreamTimePassesEndAndGrace()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)))
            .Count()
            .Suppress(Suppressed.UntilWindowCloses())
            .ToStream()
            .To("final", Produced.With(TenSecondWindows, Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());
        var final = driver.CreateOutputTopic("final", TenSecondWindows, Serdes.Int64());

        input.PipeInput("a", "v", 1_000);
        input.PipeInput("a", "v", 2_000);
        input.PipeInput("b", "v", 3_000);
        input.PipeInput("a", "v", 11_000);
        input.PipeInput("a", "v", 9_000);   // within grace
        Assert.True(final.IsEmpty);
        input.PipeInput("c", "v", 12_000);  // stream time reaches 10000 + 2000: [0, 10000) closes

        var emitted = final.ReadRecordsToList();
        Assert.Equal([("a", 3L), ("b", 1L)], emitted.Select(r => (r.Key.Key, r.Value)));
        Assert.All(emitted, r => Assert.Equal(new Window(0, 10_000), r.Key.Window));
        Assert.Equal(9_000L, emitted[0].Timestamp);
        input.PipeInput("c", "v", 25_000);
        Assert.Equal([("a", 1L, 10_000L), ("c", 1L, 10_000L)], final.ReadRecordsToList().Select(r => (r.Key.Key, r.Value, r.Key.Window.StartMs)));
    }

    [Fact]
    public void SessionWindows_MergeRecordsWithinTheGap_AndRetractTheSessionsTheyMerged()
    {
        // The record at 5000 bridges both sessions, still open thanks to the grace; the merged ones are retracted (0: a null count).
        Assert.Equal(
            [(0L, 0L, 1L), (10_000L, 10_000L, 1L), (0L, 0L, 0L), (10_000L, 10_000L, 0L), (0L, 10_000L, 3L)],
            SessionCounts(SessionWindows.OfInactivityGapAndGrace(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)), 0, 10_000, 5_000));
    }

    [Fact]
    public void ARecordAfterASessionClosed_StartsANewSession_AsKafkasExpiryHasItForgotten()
    {
        // [0, 0] closed at 5000: the record at 5000 only reaches back to [10000, 10000].
        Assert.Equal(
            [(0L, 0L, 1L), (10_000L, 10_000L, 1L), (10_000L, 10_000L, 0L), (5_000L, 10_000L, 2L)],
            SessionCounts(SessionWindows.OfInactivityGapWithNoGrace(TimeSpan.FromSeconds(5)), 0, 10_000, 5_000));
    }

    [Fact]
    public void SuppressedSessions_EmitEachFinalSessionOnce_AfterGapAndGrace()
    {
        var sessions = WindowedSerdes.SessionWindowedSerdeFrom(Serdes.String());
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .GroupByKey()
            .WindowedBy(SessionWindows.OfInactivityGapAndGrace(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)))
            .Reduce((a, b) => a + b)
            .Suppress(Suppressed.UntilWindowCloses())
            .ToStream()
            .To("final", Produced.With(sessions, Serdes.String()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());
        var final = driver.CreateOutputTopic("final", sessions, Serdes.String());

        input.PipeInput("u", "a", 0);
        input.PipeInput("u", "b", 3_000);
        input.PipeInput("w", "x", 8_999);
        Assert.True(final.IsEmpty);
        input.PipeInput("w", "y", 9_000);   // 3000 + 5000 + 1000: u's session closes

        Assert.Equal([("u", "ab", new Window(0, 3_000))], final.ReadRecordsToList().Select(r => (r.Key.Key, r.Value, r.Key.Window)));
    }

    [Fact]
    public void WindowedSerdes_WriteKafkasLayouts()
    {
        var time = TenSecondWindows.Serialize("t", new Windowed<string>("k", new Window(20_000, 30_000)), null);
        Assert.Equal("k", Encoding.UTF8.GetString(time, 0, 1));
        Assert.Equal(20_000, BinaryPrimitives.ReadInt64BigEndian(time.AsSpan(1)));
        Assert.Equal(new Window(20_000, 30_000), TenSecondWindows.Deserialize("t", time, null).Window);

        var session = WindowedSerdes.SessionWindowedSerdeFrom(Serdes.String()).Serialize("t", new Windowed<string>("k", new Window(1, 2)), null);
        Assert.Equal((2L, 1L), (BinaryPrimitives.ReadInt64BigEndian(session.AsSpan(1)), BinaryPrimitives.ReadInt64BigEndian(session.AsSpan(9))));
    }

    [Fact]
    public void AWindowStoresChangelog_IsKeyedByKeyStartAndSequence_AsKafkasIs()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromSeconds(10)))
            .Count(materialized: Materialized.As<string, long>("per-window"));
        using var driver = new TopologyTestDriver(builder.Build(), Config);

        driver.CreateInputTopic("in", Serdes.String(), Serdes.String()).PipeInput("key", "v", 42_000);

        var record = driver.CreateOutputTopic("windows-per-window-changelog", Serdes.ByteArray(), Serdes.Int64()).ReadRecord();
        Assert.Equal("key", Encoding.UTF8.GetString(record.Key, 0, 3));
        Assert.Equal(40_000, BinaryPrimitives.ReadInt64BigEndian(record.Key.AsSpan(3)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(record.Key.AsSpan(11)));
        Assert.Equal((15, 1L, 42_000L), (record.Key.Length, record.Value, record.Timestamp));
        Assert.Equal(1L, driver.GetStateStore("per-window") is Grains.Streams.State.IWindowStore<string, long> store ? store.Fetch("key", 40_000) : -1);
    }

    /// <summary>The session counts (start, end, count; 0 for a retraction) of one key's records at the given times.</summary>
    private static List<(long Start, long End, long Count)> SessionCounts(SessionWindows windows, params long[] times)
    {
        var sessions = WindowedSerdes.SessionWindowedSerdeFrom(Serdes.String());
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in")
            .GroupByKey()
            .WindowedBy(windows)
            .Count()
            .ToStream()
            .To("sessions", Produced.With(sessions, Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());
        foreach (var time in times)
        {
            input.PipeInput("u", "v", time);
        }

        return driver.CreateOutputTopic("sessions", sessions, Serdes.Int64()).ReadRecordsToList()
            .Select(r => (r.Key.Window.StartMs, r.Key.Window.EndMs, r.Value))
            .ToList();
    }
}
