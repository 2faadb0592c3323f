using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Processor;

public sealed class ProcessorApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Topology SumTopology(PunctuationType type) => new Topology()
        .AddSource("source", Serdes.String(), Serdes.Int64(), null, "in")
        .AddProcessor("sum", () => new SummingProcessor(type), "source")
        .AddStateStore(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore("sums"), Serdes.String(), Serdes.Int64()), "sum")
        .AddSink("sink", "out", Serdes.String(), Serdes.Int64(), null, "sum");

    [Fact]
    public void AStreamTimePunctuator_FiresAsRecordTimesPassItsInterval_OnceWhenBehind()
    {
        using var driver = new TopologyTestDriver(SumTopology(PunctuationType.StreamTime), new StreamsConfig { ApplicationId = "sum" }, Start);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.Int64());
        var output = driver.CreateOutputTopic("out", Serdes.String(), Serdes.Int64());

        input.PipeInput("a", 1, 0);
        Assert.Equal([("a", 1L)], output.ReadKeyValuesToList());
        input.PipeInput("a", 2, 500);
        input.PipeInput("b", 5, 999);
        Assert.True(output.IsEmpty);
        input.PipeInput("a", 3, 3500);
        var emitted = output.ReadRecordsToList();
        Assert.Equal([("a", 6L, 3500L), ("b", 5L, 3500L)], emitted.Select(r => (r.Key, r.Value, r.Timestamp)));
        input.PipeInput("a", 1, 3999);
        Assert.True(output.IsEmpty);
    }

    [Fact]
    public void AWallClockPunctuator_FiresOnlyWhenTheMockedClockMoves()
    {
        using var driver = new TopologyTestDriver(SumTopology(PunctuationType.WallClockTime), new StreamsConfig { ApplicationId = "sum" }, Start);
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.Int64());
        var output = driver.CreateOutputTopic("out", Serdes.String(), Serdes.Int64());

        input.PipeInput("a", 4, 0);
        input.PipeInput("a", 4, 100_000);
        Assert.True(output.IsEmpty);
        driver.AdvanceWallClockTime(TimeSpan.FromMilliseconds(999));
        Assert.True(output.IsEmpty);
        driver.AdvanceWallClockTime(TimeSpan.FromMilliseconds(1));

        var record = output.ReadRecord();
        Assert.Equal(("a", 8L, Start.ToUnixTimeMilliseconds() + 1000), (record.Key, record.Value, record.Timestamp));
    }

    [Fact]
    public void AProcessor_CannotOpenAStoreNotConnectedToIt()
    {
        var topology = new Topology()
            .AddSource("source", Serdes.String(), Serdes.Int64(), null, "in")
            .AddProcessor("sum", () => new SummingProcessor(PunctuationType.StreamTime), "source")
            .AddProcessor("other", () => new SummingProcessor(PunctuationType.StreamTime), "source")
            .AddStateStore(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore("sums"), Serdes.String(), Serdes.Int64()), "other");

        var error = Assert.Throws<StreamsException>(() => new TopologyTestDriver(topology, new StreamsConfig { ApplicationId = "x" }));

        Assert.Contains("Processor sum has no access to StateStore sums", error.Message);
    }

    [Fact]
    public void ForwardToANamedChild_ReachesThatChildOnly_WithMetadataOfTheInput()
    {
        var seen = new List<string>();
        var topology = new Topology()
            .AddSource("source", Serdes.String(), Serdes.String(), null, "in")
            .AddProcessor("router", () => new Router(seen), "source")
            .AddSink("left", "left-out", Serdes.String(), Serdes.String(), null, "router")
            .AddSink("right", "right-out", Serdes.String(), Serdes.String(), null, "router");
        using var driver = new TopologyTestDriver(topology, new StreamsConfig { ApplicationId = "router" });
        var input = driver.CreateInputTopic("in", Serdes.String(), Serdes.String());

        input.PipeInput("k", "left");
        input.PipeInput("k", "right");
        input.PipeInput("k", "left");

        Assert.Equal(2, driver.CreateOutputTopic("left-out", Serdes.String(), Serdes.String()).QueueSize);
        Assert.Equal(1, driver.CreateOutputTopic("right-out", Serdes.String(), Serdes.String()).QueueSize);
        Assert.Equal(["in-0@0", "in-0@1", "in-0@2"], seen);
    }

    /// <summary>Sums values per key in a store and emits every sum each second of stream or wall-clock time.</summary>
    private sealed class SummingProcessor(PunctuationType type) : IProcessor<string, long, string, long>
    {
        private IProcessorContext<string, long> _context = null!;
        private IKeyValueStore<string, long> _sums = null!;

        public void Init(IProcessorContext<string, long> context)
        {
            _context = context;
            _sums = context.GetStateStore<IKeyValueStore<string, long>>("sums");
            context.Schedule(TimeSpan.FromSeconds(1), type, now =>
            {
                foreach (var entry in _sums.All())
                {
                    _context.Forward(new Record<string, long>(entry.Key, entry.Value, now));
                }
            });
        }

        public void Process(Record<string, long> record) => _sums.Put(record.Key, _sums.Get(record.Key) + record.Value);
    }

    private sealed class Router(List<string> seen) : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;

        public void Init(IProcessorContext<string, string> context) => _context = context;

        public void Process(Record<string, string> record)
        {
            var metadata = _context.RecordMetadata!;
            seen.Add($"{metadata.Topic}-{metadata.Partition}@{metadata.Offset}");
            _context.Forward(record, record.Value);
        }
    }
}
