using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// A stream joined with a global table on the real platform: the table's topic has more partitions than the stream's
/// and other keys, so only a table that every instance holds whole can answer each order; updates made while the
/// application runs reach it through the global thread.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class GlobalTableJoinTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task OrdersJoinTheirProducts_FromEveryPartitionOfTheGlobalTable_BeforeAndAfterTheStart()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "global-products", NumPartitions = 3, ReplicationFactor = 1 },
                new TopicSpecification { Name = "global-orders", NumPartitions = 2, ReplicationFactor = 1 },
                new TopicSpecification { Name = "global-enriched", NumPartitions = 2, ReplicationFactor = 1 },
            ]);
        }

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        for (var p = 0; p < 30; p++)
        {
            await producer.ProduceAsync("global-products", new Message<string, string> { Key = $"product-{p}", Value = $"name-{p}" });
        }

        var builder = new StreamsBuilder();
        var products = builder.GlobalTable("global-products", Consumed.With(Serdes.String(), Serdes.String()));
        builder.Stream("global-orders", Consumed.With(Serdes.String(), Serdes.String()))
            .Join(products, (_, order) => order.Split(':')[0], (order, name) => $"{order}:{name}")
            .To("global-enriched", Produced.With(Serdes.String(), Serdes.String()));
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = "global-join",
            BootstrapServers = broker.BootstrapServers,
            NumStreamThreads = 2,
            CommitInterval = TimeSpan.FromMilliseconds(200),
        });
        await streams.StartAsync();

        // Read to the end before the start returned: orders for every product join at once.
        var expected = new Dictionary<string, string>();
        for (var o = 0; o < 60; o++)
        {
            var product = o % 30;
            await producer.ProduceAsync("global-orders", new Message<string, string> { Key = $"order-{o}", Value = $"product-{product}:{o}" });
            expected[$"order-{o}"] = $"product-{product}:{o}:name-{product}";
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("global-enriched");
        var enriched = await ReadAsync(consumer, r => r.Count >= expected.Count);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), enriched.OrderBy(e => e.Key, StringComparer.Ordinal));

        // A product added while the application runs reaches the global store: orders for it join once it is there
        // (an order that comes before the global thread has read the product is dropped, as in Kafka).
        await producer.ProduceAsync("global-products", new Message<string, string> { Key = "product-new", Value = "brand new" });
        var sent = 0;
        var joined = await ReadAsync(consumer, r =>
        {
            producer.Produce("global-orders", new Message<string, string> { Key = $"order-new-{sent++}", Value = "product-new:1" });
            return r.Values.Any(v => v == "product-new:1:brand new");
        });
        Assert.Contains("product-new:1:brand new", joined.Values);
        Assert.All(joined.Values, v => Assert.EndsWith("brand new", v, StringComparison.Ordinal));
        consumer.Close();
    }

    /// <summary>Reads until <paramref name="done"/> says so (asked between polls) or a minute has passed.</summary>
    private static async Task<Dictionary<string, string>> ReadAsync(IConsumer<string, string> consumer, Func<Dictionary<string, string>, bool> done)
    {
        var read = new Dictionary<string, string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        await Task.Run(() =>
        {
            while (!done(read) && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    read[result.Message.Key] = result.Message.Value;
                }
            }
        });
        return read;
    }
}
