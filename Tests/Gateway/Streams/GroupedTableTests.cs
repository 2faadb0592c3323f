using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// A table grouped by a new key on the real platform: users move between regions while two stream threads count
/// them per region through the repartition topic; the final counts are the regions' sizes.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class GroupedTableTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task UsersPerRegion_AreCountedExactly_AsUsersMoveAndLeave()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "grouped-users", NumPartitions = 3, ReplicationFactor = 1 },
                new TopicSpecification { Name = "grouped-regions", NumPartitions = 2, ReplicationFactor = 1 },
            ]);
        }

        string[] regions = ["eu", "us", "apac"];
        var final = new Dictionary<string, string?>();
        using (var producer = new ProducerBuilder<string, string?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            // Each user is written three times, moving region each time; every fifth user is deleted at the end.
            for (var round = 0; round < 3; round++)
            {
                for (var u = 0; u < 60; u++)
                {
                    var region = regions[(u + round) % regions.Length];
                    producer.Produce("grouped-users", new Message<string, string?> { Key = $"user-{u}", Value = region });
                    final[$"user-{u}"] = region;
                }
            }

            for (var u = 0; u < 60; u += 5)
            {
                producer.Produce("grouped-users", new Message<string, string?> { Key = $"user-{u}", Value = null });
                final[$"user-{u}"] = null;
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var expected = regions.ToDictionary(r => r, r => final.Values.Count(v => v == r).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var builder = new StreamsBuilder();
        builder.Table("grouped-users", Consumed.With(Serdes.String(), Serdes.String()))
            .GroupBy((user, region) => KeyValue<string, string>.Pair(region, user), Grouped.With(Serdes.String(), Serdes.String()))
            .Count()
            .ToStream()
            .MapValues(count => count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .To("grouped-regions", Produced.With(Serdes.String(), Serdes.String()));
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = "grouped-regions",
            BootstrapServers = broker.BootstrapServers,
            StateDir = Path.Combine(Path.GetTempPath(), "tributary-streams-tests", Guid.NewGuid().ToString("N")),
            NumStreamThreads = 2,
            CommitInterval = TimeSpan.FromMilliseconds(200),
        });
        await streams.StartAsync();

        var latest = await LatestValues.ReadTopicAsync(broker.BootstrapServers, "grouped-regions", expected);
        Assert.Equal(LatestValues.Sorted(expected), LatestValues.Sorted(latest));
    }
}
