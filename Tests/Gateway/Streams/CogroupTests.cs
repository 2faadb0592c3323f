using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// Cogroups on the real platform: the repartition topic of a re-keyed stream takes the partition count of the
/// stream it is cogrouped with, not of its own input, so every record of a user meets the same task; topics that
/// cannot be co-partitioned stop the start, as in Kafka.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class CogroupTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task ClicksAndViews_CogroupedPerUser_CountEveryEvent_ThroughARepartitionTopicAsWideAsTheViews()
    {
        await CreateTopicsAsync(("cogroup-clicks", 1), ("cogroup-views", 3), ("cogroup-activity", 3));
        // Keyed as a Java producer keys them (murmur2), as the application's repartition topic is: librdkafka's default
        // partitioner (CRC32) would put a user's views in another partition than the user's clicks.
        using var producer = new ProducerBuilder<string, string>(
            new ProducerConfig { BootstrapServers = broker.BootstrapServers, Partitioner = Partitioner.Murmur2Random }).Build();
        var expected = new Dictionary<string, string>();
        for (var u = 0; u < 20; u++)
        {
            var clicks = u % 4 + 1;
            var views = u % 3 + 1;
            for (var c = 0; c < clicks; c++)
            {
                // Clicks are keyed by page; the user is in the value.
                await producer.ProduceAsync("cogroup-clicks", new Message<string, string> { Key = $"page-{c}", Value = $"user-{u}" });
            }

            for (var v = 0; v < views; v++)
            {
                await producer.ProduceAsync("cogroup-views", new Message<string, string> { Key = $"user-{u}", Value = $"page-{v}" });
            }

            expected[$"user-{u}"] = $"clicks={clicks} views={views}";
        }

        var builder = new StreamsBuilder();
        var strings = Consumed.With(Serdes.String(), Serdes.String());
        var clicksByUser = builder.Stream("cogroup-clicks", strings)
            .SelectKey((_, user) => user)
            .GroupByKey(Grouped.With(Serdes.String(), Serdes.String()) with { Name = "clicks-by-user" });
        var viewsByUser = builder.Stream("cogroup-views", strings).GroupByKey();
        clicksByUser.Cogroup<Activity>((_, _, activity) => activity with { Clicks = activity.Clicks + 1 })
            .Cogroup(viewsByUser, (_, _, activity) => activity with { Views = activity.Views + 1 })
            .Aggregate(() => new Activity(0, 0), materialized: Materialized.As<string, Activity>("activity") with { ValueSerde = new JsonSerde<Activity>() })
            .ToStream()
            .MapValues(a => $"clicks={a.Clicks} views={a.Views}")
            .To("cogroup-activity", Produced.With(Serdes.String(), Serdes.String()));
        await using (var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = "cogroup-activity",
            BootstrapServers = broker.BootstrapServers,
            StateDir = Path.Combine(Path.GetTempPath(), "tributary-streams-tests", Guid.NewGuid().ToString("N")),
            NumStreamThreads = 2,
            CommitInterval = TimeSpan.FromMilliseconds(200),
        }))
        {
            await streams.StartAsync();
            var latest = await LatestValues.ReadTopicAsync(broker.BootstrapServers, "cogroup-activity", expected);
            Assert.Equal(LatestValues.Sorted(expected), LatestValues.Sorted(latest));
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var repartition = admin.GetMetadata("cogroup-activity-clicks-by-user-repartition", TimeSpan.FromSeconds(10)).Topics.Single();
        Assert.Equal(3, repartition.Partitions.Count);
    }

    [Fact]
    public async Task StreamsOfTopicsWithDifferentPartitionCounts_CannotBeCogrouped_TheStartFails()
    {
        await CreateTopicsAsync(("cogroup-narrow", 2), ("cogroup-wide", 3));
        var builder = new StreamsBuilder();
        var strings = Consumed.With(Serdes.String(), Serdes.String());
        builder.Stream("cogroup-narrow", strings).GroupByKey().Cogroup<string>((_, v, a) => a + v)
            .Cogroup(builder.Stream("cogroup-wide", strings).GroupByKey(), (_, v, a) => a + v)
            .Aggregate(() => "");
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = "cogroup-mismatch",
            BootstrapServers = broker.BootstrapServers,
        });

        var error = await Assert.ThrowsAsync<StreamsException>(streams.StartAsync);

        Assert.Contains("Topics not co-partitioned: [cogroup-narrow=2,cogroup-wide=3]", error.Message, StringComparison.Ordinal);
    }

    private async Task CreateTopicsAsync(params (string Name, int Partitions)[] topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.CreateTopicsAsync(topics.Select(t => new TopicSpecification { Name = t.Name, NumPartitions = t.Partitions, ReplicationFactor = 1 }));
    }

    public sealed record Activity(int Clicks, int Views);
}
