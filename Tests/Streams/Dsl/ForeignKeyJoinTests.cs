using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.TestDriver;

namespace Tributary.Tests.Streams.Dsl;

/// <summary>
/// Foreign-key table joins (Kafka's KTableKTableForeignKeyJoinIntegrationTest cases): orders join the product each
/// names, through subscription and response topics, whichever side changes.
/// </summary>
public sealed class ForeignKeyJoinTests
{
    private static readonly StreamsConfig Config = new() { ApplicationId = "fk-join", DefaultKeySerde = Serdes.String(), DefaultValueSerde = Serdes.String() };

    [Fact]
    public void AnInnerJoin_FollowsChangesOnBothSides_AndDeletesWhatNoLongerMatches()
    {
        using var run = new Run(left: false);

        run.Products.PipeInput("p1", "kettle");
        run.Orders.PipeInput("o1", "p1:2");
        run.Orders.PipeInput("o2", "p2:1");
        run.Products.PipeInput("p2", "toaster");
        run.Products.PipeInput("p1", "red kettle");
        run.Orders.PipeInput("o1", "p2:3");
        run.Products.PipeInput("p1", "blue kettle");
        run.Products.PipeInput("p2", null!);
        run.Orders.PipeInput("o3", "p1:1");
        run.Orders.PipeInput("o3", null!);

        // p1's last change reaches no order: o1 moved to p2 before it. Deleting p2 deletes both its results, in key order.
        Assert.Equal(
            [("o1", "p1:2 of kettle"), ("o2", "p2:1 of toaster"), ("o1", "p1:2 of red kettle"), ("o1", "p2:3 of toaster"), ("o1", null),
                ("o2", null), ("o3", "p1:1 of blue kettle"), ("o3", null)],
            run.Output());
        Assert.Null(run.Store.Get("o1"));
        Assert.Null(run.Store.Get("o3"));
    }

    [Fact]
    public void ALeftJoin_KeepsRowsWithoutAMatch_OrWithoutAForeignKey()
    {
        using var run = new Run(left: true);

        run.Orders.PipeInput("o1", "p1:2");
        run.Products.PipeInput("p1", "kettle");
        run.Orders.PipeInput("o2", "none");
        run.Products.PipeInput("p1", null!);

        Assert.Equal(
            [("o1", "p1:2 of nothing"), ("o1", "p1:2 of kettle"), ("o2", "none of nothing"), ("o1", "p1:2 of nothing")],
            run.Output());
        Assert.Equal("p1:2 of nothing", run.Store.Get("o1"));
    }

    [Fact]
    public void TheJoin_ReadsTheOtherSideThroughItsOwnTopics_AsATableOfItsOwn()
    {
        using var run = new Run(left: false);

        Assert.Contains("KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-", run.Description, StringComparison.Ordinal);
        Assert.Contains("KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-", run.Description, StringComparison.Ordinal);
        Assert.Contains("stores: [order-details]", run.Description, StringComparison.Ordinal);
    }

    private sealed class Run : IDisposable
    {
        private readonly TopologyTestDriver _driver;

        public Run(bool left)
        {
            var builder = new StreamsBuilder();
            var products = builder.Table<string, string>("products");
            var orders = builder.Table<string, string>("orders");
            var materialized = Grains.Streams.Dsl.Materialized.As<string, string>("order-details");
            var details = left
                ? orders.LeftJoin(products, order => order.Contains(':', StringComparison.Ordinal) ? order.Split(':')[0] : null,
                    (order, product) => $"{order} of {product ?? "nothing"}", materialized: materialized)
                : orders.Join(products, order => order.Split(':')[0], (order, product) => $"{order} of {product}", materialized: materialized);
            details.ToStream().To("details");
            Description = builder.Build().Describe().ToString();
            _driver = new TopologyTestDriver(builder.Build(), Config);
            Orders = _driver.CreateInputTopic("orders", Serdes.String(), Serdes.String());
            Products = _driver.CreateInputTopic("products", Serdes.String(), Serdes.String());
        }

        public string Description { get; }

        public TestInputTopic<string, string> Orders { get; }

        public TestInputTopic<string, string> Products { get; }

        public Grains.Streams.State.IKeyValueStore<string, string> Store => _driver.GetKeyValueStore<string, string>("order-details");

        public List<(string, string)> Output() => _driver.CreateOutputTopic("details", Serdes.String(), Serdes.String()).ReadKeyValuesToList();

        public void Dispose() => _driver.Dispose();
    }
}
