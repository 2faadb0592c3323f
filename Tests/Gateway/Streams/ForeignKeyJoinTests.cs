using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// A foreign-key table join on the real platform: orders and products in topics of different partition counts, so
/// every subscription crosses to the products' partition of its key and every answer comes back to the order's.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class ForeignKeyJoinTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task OrdersJoinTheProductTheyName_AcrossPartitions_AndFollowProductChanges()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "fk-orders", NumPartitions = 3, ReplicationFactor = 1 },
                new TopicSpecification { Name = "fk-products", NumPartitions = 2, ReplicationFactor = 1 },
                new TopicSpecification { Name = "fk-details", NumPartitions = 3, ReplicationFactor = 1 },
            ]);
        }

        // Keyed as Java producers key records (murmur2), as the application's own topics are.
        using var producer = new ProducerBuilder<string, string>(
            new ProducerConfig { BootstrapServers = broker.BootstrapServers, Partitioner = Partitioner.Murmur2Random }).Build();
        for (var p = 0; p < 20; p++)
        {
            await producer.ProduceAsync("fk-products", new Message<string, string> { Key = $"product-{p}", Value = $"name-{p}" });
        }

        var expected = new Dictionary<string, string>();
        for (var o = 0; o < 60; o++)
        {
            await producer.ProduceAsync("fk-orders", new Message<string, string> { Key = $"order-{o}", Value = $"product-{o % 20}" });
            expected[$"order-{o}"] = $"product-{o % 20} is name-{o % 20}";
        }

        var builder = new StreamsBuilder();
        var strings = Consumed.With(Serdes.String(), Serdes.String());
        var products = builder.Table("fk-products", strings);
        builder.Table("fk-orders", strings)
            .Join(products, product => product, (product, name) => $"{product} is {name}")
            .ToStream()
            .To("fk-details", Produced.With(Serdes.String(), Serdes.String()));
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = "fk-join",
            BootstrapServers = broker.BootstrapServers,
            NumStreamThreads = 2,
            CommitInterval = TimeSpan.FromMilliseconds(200),
            DefaultKeySerde = Serdes.String(),
            DefaultValueSerde = Serdes.String(),
            StateDir = Path.Combine(Path.GetTempPath(), "tributary-streams-tests", Guid.NewGuid().ToString("N")),
        });
        await streams.StartAsync();
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("fk-details");
        var latest = new Dictionary<string, string>();
        await LatestValues.ReadUntilAsync(consumer, expected, latest);
        Assert.Equal(LatestValues.Sorted(expected), LatestValues.Sorted(latest));

        // A renamed product reaches every order that names it, whichever partition holds the order.
        await producer.ProduceAsync("fk-products", new Message<string, string> { Key = "product-3", Value = "renamed" });
        foreach (var order in new[] { 3, 23, 43 })
        {
            expected[$"order-{order}"] = "product-3 is renamed";
        }

        await LatestValues.ReadUntilAsync(consumer, expected, latest);
        Assert.Equal(LatestValues.Sorted(expected), LatestValues.Sorted(latest));
        consumer.Close();
    }
}
