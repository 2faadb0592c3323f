using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

/// <summary>
/// The DSL's record caches, seen through the test driver (which commits after every input record, as Kafka's): the
/// updates one input record makes to a key reach downstream and the changelog as one, with the latest value and the
/// value before the record; <c>statestore.cache.max.bytes=0</c> or a materialization without caching forwards each.
/// </summary>
public sealed class CachingTests
{
    private const long Second = 1_000;

    public static TheoryData<string> Uncached => ["no cache memory", "caching disabled"];

    [Fact]
    public void TheUpdatesOneRecordMakesToAnAggregate_ReachDownstreamAndTheChangelogAsOne()
    {
        using var driver = new TopologyTestDriver(WordsPerKey(Materialized.As<string, long>("words")), Config());
        var lines = driver.CreateInputTopic("lines", Serdes.String(), Serdes.String());

        lines.PipeInput("k", "a b c", 10);
        lines.PipeInput("k", "d", 20);
        lines.PipeInput("j", "e f", 30);

        Assert.Equal([("k", 3L), ("k", 4L), ("j", 2L)], driver.CreateOutputTopic("counts", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
        var changelog = driver.CreateOutputTopic("caching-words-changelog", Serdes.String(), Serdes.Int64()).ReadRecordsToList();
        Assert.Equal([("k", 3L, 10L), ("k", 4L, 20L), ("j", 2L, 30L)], changelog.Select(r => (r.Key, r.Value, r.Timestamp)));
    }

    [Theory]
    [MemberData(nameof(Uncached))]
    public void WithoutCaching_EveryUpdateIsForwardedAndLogged(string how)
    {
        var materialized = Materialized.As<string, long>("words");
        var config = Config();
        if (how == "caching disabled")
        {
            materialized = materialized.WithCachingDisabled();
        }
        else
        {
            config = Config(cacheBytes: 0);
        }

        using var driver = new TopologyTestDriver(WordsPerKey(materialized), config);
        driver.CreateInputTopic("lines", Serdes.String(), Serdes.String()).PipeInput("k", "a b c", 10);

        Assert.Equal([("k", 1L), ("k", 2L), ("k", 3L)], driver.CreateOutputTopic("counts", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
        Assert.Equal(3, driver.CreateOutputTopic("caching-words-changelog", Serdes.String(), Serdes.Int64()).QueueSize);
    }

    [Fact]
    public void ATableDownstreamOfACachedAggregate_SeesOnlyTheValuesBetweenRecords()
    {
        // Sum of word lengths per key, re-grouped by parity of the sum: "a bb c" takes k's sum from 3 through 4 and 6
        // to 7 in one record, so downstream sees 3 -> 7 and the even group is never made.
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("lines")
            .FlatMapValues(line => line.Split(' '))
            .GroupByKey()
            .Aggregate(() => 0L, (_, word, sum) => sum + word.Length, materialized: Materialized.As<string, long>("sums").WithValueSerde(Serdes.Int64()))
            .GroupBy((_, sum) => KeyValue<string, long>.Pair(sum % 2 == 0 ? "even" : "odd", sum), Grouped.With(Serdes.String(), Serdes.Int64()))
            .Count(materialized: Materialized.As<string, long>("parities"))
            .ToStream()
            .To("parities", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config());
        var lines = driver.CreateInputTopic("lines", Serdes.String(), Serdes.String());

        lines.PipeInput("k", "abc", 1);
        lines.PipeInput("k", "a bb c", 2);
        lines.PipeInput("j", "a", 3);

        Assert.Equal([("odd", 1L), ("odd", 1L), ("odd", 2L)], driver.CreateOutputTopic("parities", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
        Assert.False(driver.GetKeyValueStore<string, long>("parities").TryGet("even", out _));
        Assert.Equal(7L, driver.GetKeyValueStore<string, long>("sums").Get("k"));
    }

    [Fact]
    public void AWindowedAggregate_ForwardsOneUpdatePerWindowForARecord()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("lines")
            .FlatMapValues(line => line.Split(' '))
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)).AdvanceBy(TimeSpan.FromSeconds(5)))
            .Count()
            .ToStream()
            .Map((windowed, count) => KeyValue<string, long>.Pair($"{windowed.Key}@{windowed.Window.StartMs}", count))
            .To("counts", Produced.With(Serdes.String(), Serdes.Int64()));
        using var driver = new TopologyTestDriver(builder.Build(), Config());
        var lines = driver.CreateInputTopic("lines", Serdes.String(), Serdes.String());

        lines.PipeInput("k", "a b", 7 * Second);
        lines.PipeInput("k", "c", 12 * Second);

        // Hopping windows [0,10) and [5,15) hold the first record, [5,15) and [10,20) the second.
        Assert.Equal(
            [("k@0", 2L), ("k@5000", 2L), ("k@5000", 3L), ("k@10000", 1L)],
            driver.CreateOutputTopic("counts", Serdes.String(), Serdes.Int64()).ReadKeyValuesToList());
    }

    [Fact]
    public void SlidingWindowsAndSessions_ForwardTheLastUpdateOfEachWindowARecordMade_InTheOrderOfThoseLastUpdates()
    {
        // Each line's words are separate records of one key: uncached, every update of every window goes downstream;
        // cached, each line leaves one update per window it touched, the last, at the place of its last change.
        string[] lines = ["a b", "c", "d e f", "g h", "i"];
        long[] times = [100, 104, 109, 125, 200];
        foreach (var windowed in new Func<KGroupedStream<string, string>, KTable<Windowed<string>, long>>[]
        {
            grouped => grouped.WindowedBy(SlidingWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1))).Count(),
            grouped => grouped.WindowedBy(SessionWindows.OfInactivityGapAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1))).Count(),
        })
        {
            var uncached = PerLine(windowed, cacheBytes: 0, lines, times);
            var cached = PerLine(windowed, cacheBytes: 1024 * 1024, lines, times);

            var standing = new HashSet<string>();
            Assert.Equal(uncached.Select(line => LastPerWindow(line, standing)), cached);
            Assert.True(cached.Sum(c => c.Count) < uncached.Sum(u => u.Count));
        }
    }

    /// <summary>What each line sends downstream (window, count, or null for a retraction), line by line.</summary>
    private static List<List<(string Window, long? Count)>> PerLine(
        Func<KGroupedStream<string, string>, KTable<Windowed<string>, long>> windowed, long cacheBytes, string[] lines, long[] times)
    {
        var builder = new StreamsBuilder();
        windowed(builder.Stream<string, string>("lines").FlatMapValues(line => line.Split(' ')).GroupByKey())
            .ToStream()
            // A retraction (a merged session) comes as the default count, 0.
            .Map((window, count) => KeyValue<string, string>.Pair($"{window.Key}[{window.Window.StartMs},{window.Window.EndMs}]", count.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .To("counts", Produced.With(Serdes.String(), Serdes.String()));
        using var driver = new TopologyTestDriver(builder.Build(), Config(cacheBytes));
        var input = driver.CreateInputTopic("lines", Serdes.String(), Serdes.String());
        var output = driver.CreateOutputTopic("counts", Serdes.String(), Serdes.String());
        var perLine = new List<List<(string, long?)>>();
        for (var i = 0; i < lines.Length; i++)
        {
            input.PipeInput("k", lines[i], times[i]);
            perLine.Add(output.ReadKeyValuesToList().Select(kv => (kv.Key, kv.Value == "0" ? (long?)null : long.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture))).ToList());
        }

        return perLine;
    }

    /// <summary>
    /// The last update of each window among a line's, in their order; a window made and retracted within the line is
    /// not among them (it never reached the store below), and <paramref name="standing"/> follows the windows that exist.
    /// </summary>
    private static List<(string Window, long? Count)> LastPerWindow(List<(string Window, long? Count)> updates, HashSet<string> standing)
    {
        var last = updates.Where((update, i) => !updates.Skip(i + 1).Any(later => later.Window == update.Window))
            .Where(update => update.Count is not null || standing.Contains(update.Window))
            .ToList();
        foreach (var (window, count) in last)
        {
            if (count is null)
            {
                standing.Remove(window);
            }
            else
            {
                standing.Add(window);
            }
        }

        return last;
    }

    private static Topology WordsPerKey(Materialized<string, long> materialized)
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("lines")
            .FlatMapValues(line => line.Split(' '))
            .GroupByKey()
            .Count(materialized: materialized)
            .ToStream()
            .To("counts", Produced.With(Serdes.String(), Serdes.Int64()));
        return builder.Build();
    }

    private static StreamsConfig Config(long cacheBytes = 10 * 1024 * 1024) => new()
    {
        ApplicationId = "caching",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
        StatestoreCacheMaxBytes = cacheBytes,
    };
}
