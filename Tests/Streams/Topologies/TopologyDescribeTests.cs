using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Tests.Streams.Topologies;

public sealed class TopologyDescribeTests
{
    [Fact]
    public void GroupByKeyCount_IsDescribedAsKafkaDescribesIt()
    {
        // Kafka's TopologyTest.kGroupedStreamZeroArgCountShouldPreserveTopologyStructure, word for word.
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("input-topic").GroupByKey().Count();

        Assert.Equal(
            "Topologies:\n"
            + "   Sub-topology: 0\n"
            + "    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic])\n"
            + "      --> KSTREAM-AGGREGATE-0000000002\n"
            + "    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])\n"
            + "      --> none\n"
            + "      <-- KSTREAM-SOURCE-0000000000\n\n",
            builder.Build().Describe().ToString());
    }

    [Fact]
    public void GivenNames_StillUseUpTheirNumbers_AndANamedTableNamesItsSourceAfterIt()
    {
        // As Kafka's NamedInternal: a named operation draws a number all the same, so the generated names after it
        // are the ones the same program gets in Java; a table named t reads through its source t-table-source.
        var builder = new StreamsBuilder();
        builder.Table("users", new Consumed<string, string>().WithName("users"));
        builder.Stream<string, string>("in")
            .Filter((_, v) => v.Length > 0, Named.As("non-empty"))
            .MapValues(v => v.ToUpperInvariant())
            .To("out");

        Assert.Equal(
            "Topologies:\n"
            + "   Sub-topology: 0\n"
            + "    Source: users-table-source (topics: [users])\n"
            + "      --> users\n"
            + "    Processor: users (stores: [users-STATE-STORE-0000000000])\n"
            + "      --> none\n"
            + "      <-- users-table-source\n\n"
            + "  Sub-topology: 1\n"
            + "    Source: KSTREAM-SOURCE-0000000003 (topics: [in])\n"
            + "      --> non-empty\n"
            + "    Processor: non-empty (stores: [])\n"
            + "      --> KSTREAM-MAPVALUES-0000000005\n"
            + "      <-- KSTREAM-SOURCE-0000000003\n"
            + "    Processor: KSTREAM-MAPVALUES-0000000005 (stores: [])\n"
            + "      --> KSTREAM-SINK-0000000006\n"
            + "      <-- non-empty\n"
            + "    Sink: KSTREAM-SINK-0000000006 (topic: out)\n"
            + "      <-- KSTREAM-MAPVALUES-0000000005\n\n",
            builder.Build().Describe().ToString());
    }

    [Fact]
    public void WordCount_HasTwoSubtopologiesJoinedByTheRepartitionTopicOfItsStore()
    {
        var builder = new StreamsBuilder();
        builder.Stream("streams-plaintext-input", Consumed.With(Serdes.String(), Serdes.String()))
            .FlatMapValues(line => line.ToLowerInvariant().Split(' '))
            .GroupBy((_, word) => word)
            .Count(materialized: Materialized.As<string, long>("counts-store"))
            .ToStream()
            .To("streams-wordcount-output", Produced.With(Serdes.String(), Serdes.Int64()));

        Assert.Equal(
            "Topologies:\n"
            + "   Sub-topology: 0\n"
            + "    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])\n"
            + "      --> KSTREAM-FLATMAPVALUES-0000000001\n"
            + "    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])\n"
            + "      --> KSTREAM-KEY-SELECT-0000000002\n"
            + "      <-- KSTREAM-SOURCE-0000000000\n"
            + "    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])\n"
            + "      --> counts-store-repartition-filter\n"
            + "      <-- KSTREAM-FLATMAPVALUES-0000000001\n"
            + "    Processor: counts-store-repartition-filter (stores: [])\n"
            + "      --> counts-store-repartition-sink\n"
            + "      <-- KSTREAM-KEY-SELECT-0000000002\n"
            + "    Sink: counts-store-repartition-sink (topic: counts-store-repartition)\n"
            + "      <-- counts-store-repartition-filter\n\n"
            + "  Sub-topology: 1\n"
            + "    Source: counts-store-repartition-source (topics: [counts-store-repartition])\n"
            + "      --> KSTREAM-AGGREGATE-0000000003\n"
            + "    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])\n"
            + "      --> KTABLE-TOSTREAM-0000000007\n"
            + "      <-- counts-store-repartition-source\n"
            + "    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])\n"
            + "      --> KSTREAM-SINK-0000000008\n"
            + "      <-- KSTREAM-AGGREGATE-0000000003\n"
            + "    Sink: KSTREAM-SINK-0000000008 (topic: streams-wordcount-output)\n"
            + "      <-- KTABLE-TOSTREAM-0000000007\n\n",
            builder.Build().Describe().ToString());
    }

    [Fact]
    public void GeneratedRepartitionNames_DrawTheirNumbersAfterTheAggregate()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in").SelectKey((_, v) => v).GroupByKey().Count().ToStream().To("out");

        var description = builder.Build().Describe();

        Assert.Equal(2, description.Subtopologies.Count);
        Assert.Equal(
            ["KSTREAM-SOURCE-0000000000", "KSTREAM-KEY-SELECT-0000000001", "KSTREAM-FILTER-0000000005", "KSTREAM-SINK-0000000004"],
            description.Subtopologies[0].Nodes.Select(n => n.Name));
        Assert.Equal("topic: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition", description.Subtopologies[0].Nodes[3].Detail);
        Assert.Equal(
            ["KSTREAM-SOURCE-0000000006", "KSTREAM-AGGREGATE-0000000003", "KTABLE-TOSTREAM-0000000007", "KSTREAM-SINK-0000000008"],
            description.Subtopologies[1].Nodes.Select(n => n.Name));
    }

    [Fact]
    public void ProcessorsSharingAStore_AreOneSubtopology_AndUnconnectedSourcesAreNot()
    {
        var topology = new Topology()
            .AddSource("source-1", "topic-1")
            .AddSource("source-2", "topic-2")
            .AddSource("source-3", "topic-3")
            .AddProcessor("processor-1", () => new Forwarder(), "source-1")
            .AddProcessor("processor-2", () => new Forwarder(), "source-2")
            .AddProcessor("processor-3", () => new Forwarder(), "source-3")
            .AddStateStore(
                Grains.Streams.State.Stores.KeyValueStoreBuilder(
                    Grains.Streams.State.Stores.InMemoryKeyValueStore("shared"), Serdes.String(), Serdes.String()),
                "processor-1", "processor-2");

        var description = topology.Describe();

        Assert.Equal(2, description.Subtopologies.Count);
        Assert.Equal(["source-1", "source-2", "processor-1", "processor-2"], description.Subtopologies[0].Nodes.Select(n => n.Name));
        Assert.Equal(["source-3", "processor-3"], description.Subtopologies[1].Nodes.Select(n => n.Name));
        Assert.Equal("stores: [shared]", description.Subtopologies[0].Nodes[2].Detail);
    }

    [Fact]
    public void InvalidGraphs_AreRefusedWithKafkasMessages()
    {
        var topology = new Topology().AddSource("source", "topic");

        Assert.Equal(
            "Invalid topology: Processor source is already added.",
            Assert.Throws<TopologyException>(() => topology.AddSource("source", "other")).Message);
        Assert.Equal(
            "Invalid topology: Topic topic has already been registered by another source.",
            Assert.Throws<TopologyException>(() => topology.AddSource("source-2", "topic")).Message);
        Assert.Contains(
            "Parent processor missing is not added yet",
            Assert.Throws<TopologyException>(() => topology.AddProcessor("p", () => new Forwarder(), "missing")).Message);
        topology.AddSink("sink", "out", "source");
        Assert.Contains(
            "Sink sink cannot be used a parent",
            Assert.Throws<TopologyException>(() => topology.AddProcessor("p", () => new Forwarder(), "sink")).Message);
    }

    private sealed class Forwarder : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;

        public void Init(IProcessorContext<string, string> context) => _context = context;

        public void Process(Record<string, string> record) => _context.Forward(record);
    }
}
