using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// Tasks stay where they are when instances join and leave: a table-table join of two co-partitioned topics on the
/// real platform, run by two instances, then three, then two again. The instances that stay keep every task they
/// had (a rebalance stops only the tasks that move, so a kept task restores nothing), and the join, which needs
/// partition p of both topics in the same task, stays complete throughout.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class StickyAssignmentTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const int Partitions = 6;
    private const int Users = 30;
    private const string ApplicationId = "sticky-join";

    [Fact]
    public async Task InstancesThatStay_KeepTheirTasksAndRestoreNothingForThem_WhenAnotherJoinsOrLeaves_AndTheJoinStaysComplete()
    {
        await CreateTopicsAsync();
        var expected = new Dictionary<string, string>();
        await ProduceAsync(round: 0, expected);

        var a = new RecordingRestoreListener();
        var b = new RecordingRestoreListener();
        await using var first = Start("localhost:7201", a);
        await using var second = Start("localhost:7202", b);
        await AwaitJoinedAsync(expected);
        var withTwo = await HeldAsync(first, ["localhost:7201", "localhost:7202"]);
        await RunningAsync(withTwo, (first, "localhost:7201"), (second, "localhost:7202"));

        // A third instance joins: the two give it some of their tasks and keep the rest running, untouched.
        var restoredByA = a.Starts.Count;
        var restoredByB = b.Starts.Count;
        var third = Start("localhost:7203", new RecordingRestoreListener());
        var withThree = await HeldAsync(first, ["localhost:7201", "localhost:7202", "localhost:7203"]);
        await RunningAsync(withThree, (first, "localhost:7201"), (second, "localhost:7202"), (third, "localhost:7203"));
        Assert.Subset(withTwo["localhost:7201"], withThree["localhost:7201"]);
        Assert.Subset(withTwo["localhost:7202"], withThree["localhost:7202"]);
        Assert.NotEmpty(withThree["localhost:7203"]);
        Assert.Equal(restoredByA, a.Starts.Count);
        Assert.Equal(restoredByB, b.Starts.Count);
        await ProduceAsync(round: 1, expected);
        await AwaitJoinedAsync(expected);

        // The third leaves: its tasks are shared out, and the two keep all of theirs, restoring only what they are given.
        restoredByA = a.Starts.Count;
        restoredByB = b.Starts.Count;
        await third.DisposeAsync();
        var withTwoAgain = await HeldAsync(first, ["localhost:7201", "localhost:7202"]);
        await RunningAsync(withTwoAgain, (first, "localhost:7201"), (second, "localhost:7202"));
        Assert.Superset(withThree["localhost:7201"], withTwoAgain["localhost:7201"]);
        Assert.Superset(withThree["localhost:7202"], withTwoAgain["localhost:7202"]);
        AssertRestoredOnlyGiven(a.Starts.Skip(restoredByA), withThree["localhost:7201"]);
        AssertRestoredOnlyGiven(b.Starts.Skip(restoredByB), withThree["localhost:7202"]);
        await ProduceAsync(round: 2, expected);
        await AwaitJoinedAsync(expected);
    }

    [Fact]
    public async Task MergedTopicsWithDifferentPartitionCounts_AreReadWhole_OneTaskPerPartitionOfTheLargest()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "merge-few", NumPartitions = 2, ReplicationFactor = 1 },
                new TopicSpecification { Name = "merge-many", NumPartitions = 5, ReplicationFactor = 1 },
                new TopicSpecification { Name = "merge-out", NumPartitions = 1, ReplicationFactor = 1 },
            ]);
        }

        var expected = new Dictionary<string, string>();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            foreach (var (topic, partitions) in new[] { ("merge-few", 2), ("merge-many", 5) })
            {
                for (var p = 0; p < partitions; p++)
                {
                    var key = $"{topic}-{p}";
                    producer.Produce(new TopicPartition(topic, p), new Message<string, string> { Key = key, Value = "x" });
                    expected[key] = "X";
                }
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var builder = new StreamsBuilder();
        var strings = Consumed.With(Serdes.String(), Serdes.String());
        builder.Stream("merge-few", strings).Merge(builder.Stream("merge-many", strings))
            .MapValues(v => v.ToUpperInvariant())
            .To("merge-out", Produced.With(Serdes.String(), Serdes.String()));
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = "merge-counts",
            BootstrapServers = broker.BootstrapServers,
            NumStreamThreads = 2,
            CommitInterval = TimeSpan.FromMilliseconds(200),
            StateDir = Path.Combine(Path.GetTempPath(), "tributary-streams-tests", Guid.NewGuid().ToString("N")),
        });
        await streams.StartAsync();

        var latest = await LatestValues.ReadTopicAsync(broker.BootstrapServers, "merge-out", expected);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), latest.OrderBy(e => e.Key, StringComparer.Ordinal));
        await Wait.UntilAsync(
            () => streams.MetadataForLocalThreads().SelectMany(t => t.ActiveTasks).Count() == 5,
            TimeSpan.FromSeconds(30),
            "one task per partition of the larger topic");
    }

    /// <summary>A restore after the rebalance is of a task that the instance did not hold before it.</summary>
    private static void AssertRestoredOnlyGiven(IEnumerable<TopicPartition> restored, HashSet<string> heldBefore)
    {
        var partitionsBefore = heldBefore.Select(p => int.Parse(p.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.All(restored, changelog => Assert.DoesNotContain(changelog.Partition.Value, partitionsBefore));
    }

    /// <summary>
    /// The source partitions each instance holds, once the group is stable with exactly <paramref name="servers"/>
    /// and every partition of both topics has its one holder (the cooperative protocol's second rebalance is done).
    /// </summary>
    private static async Task<Dictionary<string, HashSet<string>>> HeldAsync(KafkaStreams streams, string[] servers)
    {
        var held = new Dictionary<string, HashSet<string>>();
        await Wait.UntilAsync(
            async () =>
            {
                var instances = await streams.MetadataForAllStreamsClientsAsync();
                held = instances.ToDictionary(i => $"{i.HostInfo.Host}:{i.HostInfo.Port}", i => i.TopicPartitions.Select(Name).ToHashSet());
                var all = held.Values.SelectMany(p => p).ToList();
                return held.Keys.Order(StringComparer.Ordinal).SequenceEqual(servers)
                    && held.Values.All(p => p.Count > 0)
                    && all.Count == 2 * Partitions && all.Distinct().Count() == 2 * Partitions;
            },
            TimeSpan.FromSeconds(90),
            $"the group settles on {servers.Length} instances holding every partition once");

        // Each task holds partition p of both topics, where the join needs them.
        foreach (var partitions in held.Values)
        {
            Assert.Equal(
                partitions.Where(p => p.StartsWith("sticky-users-", StringComparison.Ordinal)).Select(p => p.Split('-')[^1]).Order(),
                partitions.Where(p => p.StartsWith("sticky-cities-", StringComparison.Ordinal)).Select(p => p.Split('-')[^1]).Order());
        }

        return held;
    }

    /// <summary>Until each instance runs the tasks the group gave it: their stores restored, their partitions read.</summary>
    private static Task RunningAsync(Dictionary<string, HashSet<string>> held, params (KafkaStreams Streams, string Server)[] instances) =>
        Wait.UntilAsync(
            () => instances.All(i => i.Streams.MetadataForLocalThreads()
                .SelectMany(t => t.ActiveTasks)
                .SelectMany(t => t.TopicPartitions)
                .Select(Name)
                .ToHashSet()
                .SetEquals(held[i.Server])),
            TimeSpan.FromSeconds(90),
            "every instance runs the tasks it was given");

    private static string Name(TopicPartition partition) => $"{partition.Topic}-{partition.Partition.Value}";

    private KafkaStreams Start(string applicationServer, IStateRestoreListener listener)
    {
        var builder = new StreamsBuilder();
        var strings = Consumed.With(Serdes.String(), Serdes.String());
        var cities = builder.Table("sticky-cities", strings, Materialized.As<string, string>("cities"));
        builder.Table("sticky-users", strings, Materialized.As<string, string>("users"))
            .Join(cities, (name, city) => $"{name} in {city}")
            .ToStream()
            .To("sticky-joined", Produced.With(Serdes.String(), Serdes.String()));
        var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = ApplicationId,
            BootstrapServers = broker.BootstrapServers,
            CommitInterval = TimeSpan.FromMilliseconds(200),
            NumStreamThreads = 1,
            ConsumerConfig = new Dictionary<string, string> { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "500" },
            StateDir = Path.Combine(Path.GetTempPath(), "tributary-streams-tests", Guid.NewGuid().ToString("N")),
            ApplicationServer = applicationServer,
        })
        {
            GlobalStateRestoreListener = listener,
        };
        streams.StartAsync().GetAwaiter().GetResult();
        return streams;
    }

    private async Task CreateTopicsAsync()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.CreateTopicsAsync(
            new[] { "sticky-users", "sticky-cities", "sticky-joined" }.Select(name => new TopicSpecification { Name = name, NumPartitions = Partitions, ReplicationFactor = 1 }));
    }

    /// <summary>Every user gets a name and a city each round; the join's latest result is the pair of the round.</summary>
    private async Task ProduceAsync(int round, Dictionary<string, string> expected)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        for (var u = 0; u < Users; u++)
        {
            var user = $"user-{u}";
            var name = $"name-{u}-{round}";
            var city = $"city-{(u + round) % 7}-{round}";
            producer.Produce("sticky-users", new Message<string, string> { Key = user, Value = name });
            producer.Produce("sticky-cities", new Message<string, string> { Key = user, Value = city });
            expected[user] = $"{name} in {city}";
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private async Task AwaitJoinedAsync(Dictionary<string, string> expected)
    {
        var latest = await LatestValues.ReadTopicAsync(broker.BootstrapServers, "sticky-joined", expected);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), latest.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    private sealed class RecordingRestoreListener : IStateRestoreListener
    {
        private readonly ConcurrentQueue<TopicPartition> _starts = new();

        /// <summary>The changelog partitions whose restore began, in order.</summary>
        public IReadOnlyList<TopicPartition> Starts => [.. _starts];

        public void OnRestoreStart(TopicPartition topicPartition, string storeName, long startingOffset, long endingOffset) => _starts.Enqueue(topicPartition);

        public void OnBatchRestored(TopicPartition topicPartition, string storeName, long batchEndOffset, long numRestored)
        {
        }

        public void OnRestoreEnd(TopicPartition topicPartition, string storeName, long totalRestored)
        {
        }
    }
}
