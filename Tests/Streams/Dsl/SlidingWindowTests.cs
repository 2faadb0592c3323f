using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

/// <summary>
/// Sliding-window aggregation against Kafka's KStreamSlidingWindowAggregateTest: every update forwarded, gathered as
/// (value, timestamp) sets per window start, with Kafka's initializer "0" and aggregator agg + "+" + value.
/// </summary>
public sealed class SlidingWindowTests
{
    private static readonly StreamsConfig Config = new() { ApplicationId = "sliding", DefaultKeySerde = Serdes.String(), DefaultValueSerde = Serdes.String() };

    [Fact]
    public void SmallInput_MakesALeftWindowPerRecord_AndRightWindowsWhereLaterRecordsFall()
    {
        // Kafka's testAggregateSmallInput (emit on every update).
        var actual = Run(
            SlidingWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5)),
            ("1", 10L), ("2", 10L), ("3", 14L), ("4", 15L), ("5", 20L), ("6", 22L), ("7", 30L));

        Assert.Equal(
            new Dictionary<long, HashSet<(string, long)>>
            {
                [0] = [("0+1", 10), ("0+1+2", 10)],
                [4] = [("0+1+2+3", 14)],
                [5] = [("0+1+2+3+4", 15)],
                [10] = [("0+1+2+3+4+5", 20)],
                [11] = [("0+3", 14), ("0+3+4", 15), ("0+3+4+5", 20)],
                [12] = [("0+3+4+5+6", 22)],
                [15] = [("0+4", 15), ("0+4+5", 20), ("0+4+5+6", 22)],
                [16] = [("0+5", 20), ("0+5+6", 22)],
                [20] = [("0+5+6+7", 30)],
                [21] = [("0+6", 22), ("0+6+7", 30)],
                [23] = [("0+7", 30)],
            },
            actual);
    }

    [Fact]
    public void RecordsEarlierThanTheTimeDifference_ShareTheWindowFromZero_AndOutOfOrderOnesFindTheirWindows()
    {
        // Kafka's testEarlyRecordsSmallInput (emit on every update).
        var actual = Run(
            SlidingWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromMilliseconds(50)),
            ("1", 0L), ("2", 5L), ("3", 6L), ("4", 3L), ("5", 13L), ("6", 10L), ("7", 70L));

        Assert.Equal(
            new Dictionary<long, HashSet<(string, long)>>
            {
                [0] = [("0+1", 0), ("0+1+2", 5), ("0+1+2+3", 6), ("0+1+2+3+4", 6), ("0+1+2+3+4+5", 13), ("0+1+2+3+4+5+6", 13)],
                [1] = [("0+2", 5), ("0+2+3", 6), ("0+2+3+4", 6), ("0+2+3+4+5", 13), ("0+2+3+4+5+6", 13)],
                [4] = [("0+2+3", 6), ("0+2+3+5", 13), ("0+2+3+5+6", 13)],
                [6] = [("0+3", 6), ("0+3+5", 13), ("0+3+5+6", 13)],
                [7] = [("0+5", 13), ("0+5+6", 13)],
                [11] = [("0+5", 13)],
                [20] = [("0+7", 70)],
            },
            actual);
    }

    [Fact]
    public void ARecordPastTheGrace_IsDropped_AndAReduceStartsEachWindowFromItsFirstValue()
    {
        var builder = new StreamsBuilder();
        builder.Stream("topic", Consumed.With(Serdes.String(), Serdes.String()))
            .GroupByKey()
            .WindowedBy(SlidingWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromMilliseconds(10)))
            .Reduce((aggregate, value) => aggregate + value)
            .ToStream()
            .Map((window, value) => new Grains.Streams.State.KeyValue<string, string>($"{window.Key}@{window.Window.StartMs}-{window.Window.EndMs}", value))
            .To("out");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("topic", Serdes.String(), Serdes.String());

        input.PipeInput("A", "a", 100L);
        input.PipeInput("A", "b", 105L);
        input.PipeInput("A", "c", 130L);
        input.PipeInput("A", "late", 115L);

        // b makes a's right window [101, 111] and its own left one [95, 105] from a's; 115's left window [105, 115]
        // ends before stream time 130 less no grace: closed, the late record is dropped.
        Assert.Equal(
            [("A@90-100", "a"), ("A@101-111", "b"), ("A@95-105", "ab"), ("A@120-130", "c")],
            driver.CreateOutputTopic("out", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void ShuffledInput_EndsInTheSameWindows_WhateverTheOrder(int seed)
    {
        // Kafka's testAggregateRandomInput: the aggregate sorts its letters, so each window's last value depends
        // only on which records it holds.
        (string Value, long Timestamp)[] records =
        [
            ("A", 10), ("B", 15), ("C", 16), ("D", 18), ("E", 30), ("F", 40), ("G", 55), ("H", 56), ("I", 58), ("J", 58), ("K", 62),
            ("L", 63), ("M", 63), ("N", 63), ("O", 76), ("P", 77), ("Q", 80), ("R", 2), ("S", 3), ("T", 5), ("U", 8),
        ];
        new Random(seed).Shuffle(records);
        var builder = new StreamsBuilder();
        var latest = new Dictionary<long, (string, long)>();
        builder.Stream("topic", Consumed.With(Serdes.String(), Serdes.String()))
            .GroupByKey()
            .WindowedBy(SlidingWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)))
            .Aggregate(() => "", (_, value, aggregate) => string.Concat((aggregate + value).Order()))
            .ToStream()
            .Process(() => new Latest(latest));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("topic", Serdes.String(), Serdes.String());
        foreach (var (value, timestamp) in records)
        {
            input.PipeInput("A", value, timestamp);
        }

        input.PipeInput("A", "V", 181);

        Assert.Equal(
            new Dictionary<long, (string, long)>
            {
                [0] = ("ARSTU", 10), [3] = ("ASTU", 10), [4] = ("ATU", 10), [5] = ("ABTU", 15), [6] = ("ABCU", 16), [8] = ("ABCDU", 18),
                [9] = ("ABCD", 18), [11] = ("BCD", 18), [16] = ("CD", 18), [17] = ("D", 18), [20] = ("E", 30), [30] = ("EF", 40),
                [31] = ("F", 40), [45] = ("G", 55), [46] = ("GH", 56), [48] = ("GHIJ", 58), [52] = ("GHIJK", 62), [53] = ("GHIJKLMN", 63),
                [56] = ("HIJKLMN", 63), [57] = ("IJKLMN", 63), [59] = ("KLMN", 63), [63] = ("LMN", 63), [66] = ("O", 76), [67] = ("OP", 77),
                [70] = ("OPQ", 80), [77] = ("PQ", 80), [78] = ("Q", 80), [171] = ("V", 181),
            },
            latest);
    }

    private static Dictionary<long, HashSet<(string Value, long Timestamp)>> Run(SlidingWindows windows, params (string Value, long Timestamp)[] records)
    {
        var builder = new StreamsBuilder();
        var gathered = new Dictionary<long, HashSet<(string, long)>>();
        builder.Stream("topic", Consumed.With(Serdes.String(), Serdes.String()))
            .GroupByKey(Grouped.With(Serdes.String(), Serdes.String()))
            .WindowedBy(windows)
            .Aggregate(() => "0", (_, value, aggregate) => aggregate + "+" + value, materialized: new Materialized<string, string>(ValueSerde: Serdes.String()))
            .ToStream()
            .Process(() => new Gather(gathered));
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var input = driver.CreateInputTopic("topic", Serdes.String(), Serdes.String());
        foreach (var (value, timestamp) in records)
        {
            input.PipeInput("A", value, timestamp);
        }

        return gathered;
    }

    private sealed class Gather(Dictionary<long, HashSet<(string, long)>> gathered) : IProcessor<Windowed<string>, string, object, object>
    {
        public void Process(Record<Windowed<string>, string> record)
        {
            if (!gathered.TryGetValue(record.Key.Window.StartMs, out var set))
            {
                gathered[record.Key.Window.StartMs] = set = [];
            }

            set.Add((record.Value, record.Timestamp));
        }
    }

    private sealed class Latest(Dictionary<long, (string, long)> latest) : IProcessor<Windowed<string>, string, object, object>
    {
        public void Process(Record<Windowed<string>, string> record) => latest[record.Key.Window.StartMs] = (record.Value, record.Timestamp);
    }
}
