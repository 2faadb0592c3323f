using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

public sealed class GlobalTableTests
{
    private static readonly StreamsConfig Config = new()
    {
        ApplicationId = "global-tables",
        DefaultKeySerde = Serdes.String(),
        DefaultValueSerde = Serdes.String(),
    };

    [Fact]
    public void AStreamGlobalTableJoin_LooksUpTheKeyEachRecordMapsTo_InnerDroppingWhatTheTableLacks()
    {
        var builder = new StreamsBuilder();
        var products = builder.GlobalTable<string, string>("products", materialized: Materialized.As<string, string>("products-store"));
        var orders = builder.Stream<string, string>("orders");
        orders.Join(products, (_, order) => order.Split(':')[0], (order, product) => $"{order} is {product}").To("inner");
        orders.LeftJoin(products, (_, order) => order.Split(':')[0], (order, product) => $"{order} is {product ?? "unknown"}").To("left");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        var productInput = driver.CreateInputTopic("products", Serdes.String(), Serdes.String());
        var orderInput = driver.CreateInputTopic("orders", Serdes.String(), Serdes.String());

        orderInput.PipeInput("o1", "p1:2");
        productInput.PipeInput("p1", "kettle");
        orderInput.PipeInput("o2", "p1:1");
        productInput.PipeInput("p1", "red kettle");
        orderInput.PipeInput("o3", "p1:5");
        productInput.PipeInput("p1", null!);
        orderInput.PipeInput("o4", "p1:9");

        Assert.Equal(
            [("o2", "p1:1 is kettle"), ("o3", "p1:5 is red kettle")],
            driver.CreateOutputTopic("inner", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
        Assert.Equal(
            [("o1", "p1:2 is unknown"), ("o2", "p1:1 is kettle"), ("o3", "p1:5 is red kettle"), ("o4", "p1:9 is unknown")],
            driver.CreateOutputTopic("left", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
        Assert.Null(driver.GetKeyValueStore<string, string>("products-store").Get("p1"));
    }

    [Fact]
    public void ANullJoinKey_IsDropped_ButALeftJoinPassesARecordWithoutAKey()
    {
        var builder = new StreamsBuilder();
        var products = builder.GlobalTable<string, string>("products");
        var orders = builder.Stream<string, string>("orders");
        orders.Join(products, (_, order) => order.Length == 0 ? null! : order, (order, product) => $"{order}={product}").To("inner");
        orders.LeftJoin(products, (_, order) => order, (order, product) => $"{order}={product ?? "none"}").To("left");
        using var driver = new TopologyTestDriver(builder.Build(), Config);
        driver.CreateInputTopic("products", Serdes.String(), Serdes.String()).PipeInput("p1", "kettle");
        var orderInput = driver.CreateInputTopic("orders", Serdes.String(), Serdes.String());

        orderInput.PipeInput("o1", "");
        orderInput.PipeInput(null!, "p1");

        // The inner join maps "" to no key: dropped; the record without a key still joins on the key it maps to.
        Assert.Equal([(null!, "p1=kettle")], driver.CreateOutputTopic("inner", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
        Assert.Equal(
            [("o1", "=none"), (null!, "p1=kettle")],
            driver.CreateOutputTopic("left", Serdes.String(), Serdes.String()).ReadKeyValuesToList());
    }

    [Fact]
    public void AGlobalStore_IsReadByAnyProcessor_WithoutBeingConnected()
    {
        var topology = new Topology()
            .AddGlobalStore(
                Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore("rates"), Serdes.String(), Serdes.Double()).WithLoggingDisabled(),
                "rates-source", Serdes.String(), Serdes.Double(), null, "rates", "rates-updater", () => new RateUpdater())
            .AddSource("prices-source", Serdes.String(), Serdes.Double(), null, "prices")
            .AddProcessor("convert", () => new Converter(), "prices-source")
            .AddSink("prices-eur", "prices-eur", Serdes.String(), Serdes.Double(), null, "convert");
        using var driver = new TopologyTestDriver(topology, Config);
        driver.CreateInputTopic("rates", Serdes.String(), Serdes.Double()).PipeInput("USD", 0.5);
        driver.CreateInputTopic("prices", Serdes.String(), Serdes.Double()).PipeInput("USD", 10.0);

        Assert.Equal(("USD", 5.0), driver.CreateOutputTopic("prices-eur", Serdes.String(), Serdes.Double()).ReadKeyValue());
    }

    [Fact]
    public void AGlobalStore_RefusesLoggingAndExplicitConnection_WithKafkasMessages()
    {
        var logged = Assert.Throws<TopologyException>(() => new Topology().AddGlobalStore(
            Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore("rates"), Serdes.String(), Serdes.Double()),
            "s", null, null, null, "rates", "p", () => new RateUpdater()));
        Assert.Equal("Invalid topology: StateStore rates for global table must not have logging enabled.", logged.Message);

        var topology = new Topology()
            .AddGlobalStore(
                Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore("rates"), Serdes.String(), Serdes.Double()).WithLoggingDisabled(),
                "s", null, null, null, "rates", "p", () => new RateUpdater())
            .AddSource("prices-source", "prices")
            .AddProcessor("convert", () => new Converter(), "prices-source");
        var connected = Assert.Throws<TopologyException>(() => topology.ConnectProcessorAndStateStores("convert", "rates"));
        Assert.Equal("Invalid topology: Global StateStore rates can be used by a Processor without being specified; it should not be explicitly passed.", connected.Message);
    }

    [Fact]
    public void AGlobalTableJoin_IsDescribedAsKafkaDescribesIt()
    {
        var builder = new StreamsBuilder();
        var products = builder.GlobalTable<string, string>("products", materialized: Materialized.As<string, string>("products-store"));
        builder.Stream<string, string>("orders").Join(products, (_, order) => order, (order, product) => order + product).To("out");

        Assert.Equal(
            "Topologies:\n"
            + "   Sub-topology: 0 for global store (will not generate tasks)\n"
            + "    Source: KSTREAM-SOURCE-0000000000 (topics: [products])\n"
            + "      --> KTABLE-SOURCE-0000000001\n"
            + "    Processor: KTABLE-SOURCE-0000000001 (stores: [products-store])\n"
            + "      --> none\n"
            + "      <-- KSTREAM-SOURCE-0000000000\n"
            + "  Sub-topology: 1\n"
            + "    Source: KSTREAM-SOURCE-0000000002 (topics: [orders])\n"
            + "      --> KSTREAM-LEFTJOIN-0000000003\n"
            + "    Processor: KSTREAM-LEFTJOIN-0000000003 (stores: [])\n"
            + "      --> KSTREAM-SINK-0000000004\n"
            + "      <-- KSTREAM-SOURCE-0000000002\n"
            + "    Sink: KSTREAM-SINK-0000000004 (topic: out)\n"
            + "      <-- KSTREAM-LEFTJOIN-0000000003\n\n",
            builder.Build().Describe().ToString());
    }

    private sealed class RateUpdater : IProcessor<string, double, object, object>
    {
        private IKeyValueStore<string, double> _rates = null!;

        public void Init(IProcessorContext<object, object> context) => _rates = context.GetStateStore<IKeyValueStore<string, double>>("rates");

        public void Process(Record<string, double> record) => _rates.Put(record.Key, record.Value);
    }

    private sealed class Converter : IProcessor<string, double, string, double>
    {
        private IProcessorContext<string, double> _context = null!;

        public void Init(IProcessorContext<string, double> context) => _context = context;

        public void Process(Record<string, double> record)
        {
            var rates = _context.GetStateStore<IReadOnlyKeyValueStore<string, double>>("rates");
            _context.Forward(record with { Value = record.Value * rates.Get(record.Key) });
        }
    }
}
