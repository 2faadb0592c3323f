using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// An application upgraded one instance at a time from a version whose threads joined the group through
/// librdkafka's cooperative sticky assignor (one such thread stands here as a librdkafka consumer of the anchor
/// topic, holding partitions without processing them or committing): while it remains, the group runs <c>cooperative-sticky</c>
/// and the new instance processes the partitions it is given, whichever side leads; once it leaves, the group
/// changes to <c>stream</c> and the new instance takes every task.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class RollingUpgradeTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const int Partitions = 4;
    private const int PerPartition = 10;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WhileAnEarlierVersionsThreadRemains_TheGroupSharesPartitionsByCooperativeSticky_ThenChangesToStream(bool earlierVersionLeads)
    {
        var application = earlierVersionLeads ? "upgrade-old-leads" : "upgrade-new-leads";
        var (input, output) = ($"{application}-in", $"{application}-out");
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = input, NumPartitions = Partitions, ReplicationFactor = 1 },
            new TopicSpecification { Name = output, NumPartitions = Partitions, ReplicationFactor = 1 },
        ]);

        using var stop = new CancellationTokenSource();
        var earlier = new EarlierVersionThread(broker.BootstrapServers, application, input);
        KafkaStreams? streams = null;
        try
        {
            if (earlierVersionLeads)
            {
                earlier.Start(stop.Token);
                await Wait.UntilAsync(() => earlier.Assigned.Count == Partitions, Timeout, "the earlier version's thread to hold every partition");
                streams = Start(application, input, output);
            }
            else
            {
                streams = Start(application, input, output);
                await Wait.UntilAsync(() => Tasks(streams).Count == Partitions, Timeout, "the new instance to run every task");
                earlier.Start(stop.Token);
            }

            // Shared by the protocol both support, half each.
            var running = streams;
            await Wait.UntilAsync(() => earlier.Assigned.Count == Partitions / 2 && Tasks(running).Count == Partitions / 2, Timeout, "the partitions to be shared");
            Assert.Equal("cooperative-sticky", await ProtocolAsync(admin, application));
            var ours = Tasks(streams);
            Assert.Empty(ours.Intersect(earlier.Assigned));

            // Records of every partition: the new instance processes those of its own.
            await ProduceAsync(input);
            var upper = await ReadAsync(output, PerPartition * Partitions / 2);
            Assert.Equal(ours.Order(), upper.Select(r => InputPartition(r.Key)).Distinct().Order());
            Assert.All(upper, r => Assert.Equal(r.Key.ToUpperInvariant(), r.Value));

            // The earlier version's thread leaves: the group changes to stream, and the new instance takes everything.
            await stop.CancelAsync();
            await earlier.Stopped;
            await Wait.UntilAsync(() => Tasks(running).Count == Partitions, Timeout, "the new instance to run every task");
            Assert.Equal("stream", await ProtocolAsync(admin, application));
            Assert.Equal(Enumerable.Range(0, Partitions), (await ReadAsync(output, PerPartition * Partitions)).Select(r => InputPartition(r.Key)).Distinct().Order());
        }
        finally
        {
            await stop.CancelAsync();
            await earlier.Stopped;
            if (streams is not null)
            {
                await streams.DisposeAsync();
            }
        }
    }

    /// <summary>The input partition of a record, from its key (<c>p&lt;partition&gt;-&lt;n&gt;</c>).</summary>
    private static int InputPartition(string key) => int.Parse(key[1..key.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

    private static List<int> Tasks(KafkaStreams streams) =>
        [.. streams.MetadataForLocalThreads().SelectMany(t => t.ActiveTasks).Select(t => t.TaskId.Partition).Order()];

    private static async Task<string> ProtocolAsync(IAdminClient admin, string group) =>
        (await admin.DescribeConsumerGroupsAsync([group])).ConsumerGroupDescriptions.Single().PartitionAssignor;

    private KafkaStreams Start(string application, string input, string output)
    {
        var builder = new StreamsBuilder();
        builder.Stream(input, Consumed.With(Serdes.String(), Serdes.String()))
            .MapValues(value => value.ToUpperInvariant())
            .To(output, Produced.With(Serdes.String(), Serdes.String()));
        var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = application,
            BootstrapServers = broker.BootstrapServers,
            CommitInterval = TimeSpan.FromMilliseconds(200),
            StateDir = Path.Combine(Path.GetTempPath(), "tributary-streams-tests", Guid.NewGuid().ToString("N")),
            ConsumerConfig = new Dictionary<string, string> { ["heartbeat.interval.ms"] = "200" },
        });
        streams.StartAsync().GetAwaiter().GetResult();
        return streams;
    }

    private async Task ProduceAsync(string topic)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        for (var partition = 0; partition < Partitions; partition++)
        {
            for (var i = 0; i < PerPartition; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string, string> { Key = $"p{partition}-{i}", Value = $"p{partition}-{i}" });
            }
        }
    }

    /// <summary>Reads <paramref name="count"/> records of the output.</summary>
    private async Task<List<(int Partition, string Key, string Value)>> ReadAsync(string topic, int count)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<(int, string, string)>();
        var deadline = DateTime.UtcNow + Timeout;
        await Task.Run(() =>
        {
            while (records.Count < count && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    records.Add((result.Partition.Value, result.Message.Key, result.Message.Value));
                }
            }
        });
        Assert.Equal(count, records.Count);
        return records;
    }

    /// <summary>A thread of the earlier version as the group sees it: a librdkafka consumer of the anchor topic with the cooperative sticky assignor.</summary>
    private sealed class EarlierVersionThread(string bootstrapServers, string group, string topic)
    {
        private volatile IReadOnlyList<int> _assigned = [];

        public IReadOnlyList<int> Assigned => _assigned;

        public Task Stopped { get; private set; } = Task.CompletedTask;

        public void Start(CancellationToken stop) => Stopped = Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = group,
                ClientId = group + "-earlier-StreamThread-1-consumer",
                PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
                HeartbeatIntervalMs = 200,
                // Reads its partitions but neither processes nor commits: their records are the new instance's to process.
                EnableAutoCommit = false,
            }).Build();
            consumer.Subscribe(topic);
            while (!stop.IsCancellationRequested)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(100));
                _assigned = [.. consumer.Assignment.Select(p => p.Partition.Value).Order()];
            }

            consumer.Close();
        });
    }
}
