using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// The application's own group protocol places tasks by their state. Two instances with one standby replica each
/// keep the other's counting task; one leaves as a third, with no state, joins: the departed instance's task goes to
/// the instance that kept its standby and restores from the standby's files, not to the newcomer (where an even
/// spread of tasks would put it, to restore the whole changelog), which gets warm-up replicas instead; and
/// interactive queries name the standby instance the leader chose.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class StandbyTakeoverTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string ApplicationId = "standby-takeover";
    private const string Input = "takeover-lines";
    private const string Output = "takeover-counts";
    private const int Partitions = 2;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ADepartedInstancesStatefulTask_GoesToTheInstanceWithItsStandby_NotToANewcomer_AndIsNotRestoredFromTheStart()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = Input, NumPartitions = Partitions, ReplicationFactor = 1 },
                new TopicSpecification { Name = Output, NumPartitions = Partitions, ReplicationFactor = 1 },
            ]);
        }

        var instances = new[] { 7301, 7302, 7303 }.Select(port => new Instance(port, NewStateDir(), new RestoreStarts())).ToList();
        var (first, second, newcomer) = (instances[0], instances[1], instances[2]);
        try
        {
            first.Streams = Start(first);
            second.Streams = Start(second);
            var expected = new Dictionary<string, long>();
            await Wait.UntilAsync(() => first.Streams.State == KafkaStreamsState.Running && second.Streams.State == KafkaStreamsState.Running, Timeout, "both instances run");
            await ProduceAsync(0, 300, expected);
            await AwaitCountsAsync(expected);

            // Each counting task runs on one instance and keeps a standby on the other, whose checkpoint reaches the
            // changelog's end (the active task writes none until it closes).
            for (var partition = 0; partition < Partitions; partition++)
            {
                var last = LastChangelogRecord(partition);
                var p = partition;
                await Wait.UntilAsync(() => Checkpoint(first.StateDir, p).Contains(last) || Checkpoint(second.StateDir, p).Contains(last), Timeout, $"a standby of task 1_{partition} reaches {last}");
            }

            var departing = ActiveOn([first, second], 0);
            var holder = departing == first ? second : first;
            Assert.Contains(LastChangelogRecord(0), Checkpoint(holder.StateDir, 0));

            // Interactive queries name the other instance as each key's standby.
            foreach (var word in expected.Keys)
            {
                var metadata = await first.Streams.QueryMetadataForKeyAsync("counts-store", word, Serdes.String());
                var active = ActiveOn([first, second], metadata.Partition);
                Assert.Equal(active.Port, metadata.ActiveHost!.Port);
                Assert.Equal([new HostInfo("localhost", (active == first ? second : first).Port)], metadata.StandbyHosts);
            }

            // A newcomer with no state joins as the owner of task 1_0 leaves.
            newcomer.Streams = Start(newcomer);
            await departing.Streams!.CloseAsync();
            await ProduceAsync(300, 200, expected);
            await AwaitCountsAsync(expected);
            await Wait.UntilAsync(() => ActiveOnOrNull([holder, newcomer], 0) is not null, Timeout, "task 1_0 runs again");

            Assert.Same(holder, ActiveOn([holder, newcomer], 0));
            Assert.Same(holder, ActiveOn([holder, newcomer], 1));
            Assert.DoesNotContain(holder.Restores.Starts, r => r.StartOffset == 0);
            Assert.Empty(newcomer.Restores.Starts);
        }
        finally
        {
            foreach (var instance in instances)
            {
                if (instance.Streams is { } streams)
                {
                    await streams.DisposeAsync();
                }
            }
        }
    }

    private static Instance ActiveOn(IEnumerable<Instance> instances, int partition) =>
        ActiveOnOrNull(instances, partition) ?? throw new InvalidOperationException($"No instance runs task 1_{partition}");

    private static Instance? ActiveOnOrNull(IEnumerable<Instance> instances, int partition) =>
        instances.SingleOrDefault(i => i.Streams!.MetadataForLocalThreads().SelectMany(t => t.ActiveTasks).Any(t => t.TaskId == new TaskId(1, partition)));

    private KafkaStreams Start(Instance instance)
    {
        var builder = new StreamsBuilder();
        builder.Stream(Input, Consumed.With(Serdes.String(), Serdes.String()))
            .FlatMapValues(line => line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy((_, word) => word)
            .Count(materialized: Materialized.As<string, long>("counts-store"))
            .ToStream()
            .To(Output, Produced.With(Serdes.String(), Serdes.Int64()));
        var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = ApplicationId,
            BootstrapServers = broker.BootstrapServers,
            DefaultKeySerde = Serdes.String(),
            DefaultValueSerde = Serdes.String(),
            CommitInterval = TimeSpan.FromMilliseconds(200),
            StateDir = instance.StateDir,
            ApplicationServer = $"localhost:{instance.Port}",
            NumStandbyReplicas = 1,
            // Only a standby counts as far enough: an instance without the state would restore the whole changelog.
            AcceptableRecoveryLag = 0,
        })
        {
            GlobalStateRestoreListener = instance.Restores,
        };
        streams.StartAsync().GetAwaiter().GetResult();
        return streams;
    }

    private static string NewStateDir() => Path.Combine(Path.GetTempPath(), "tributary-streams-tests", Guid.NewGuid().ToString("N"));

    private WordCountRun Run => new(broker.BootstrapServers);

    private Task ProduceAsync(int first, int count, Dictionary<string, long> expected) => Run.ProduceAsync(Input, first, count, expected);

    private Task AwaitCountsAsync(Dictionary<string, long> expected) => Run.AwaitCountsAsync(Output, expected);

    private string LastChangelogRecord(int partition) => Run.LastChangelogRecord(ApplicationId, partition);

    private static string[] Checkpoint(string stateDir, int partition) => WordCountRun.Checkpoint(stateDir, ApplicationId, partition);

    private sealed record Instance(int Port, string StateDir, RestoreStarts Restores)
    {
        public KafkaStreams? Streams { get; set; }
    }

    private sealed class RestoreStarts : IStateRestoreListener
    {
        private readonly List<(int Partition, long StartOffset)> _starts = [];

        public IReadOnlyList<(int Partition, long StartOffset)> Starts
        {
            get
            {
                lock (_starts)
                {
                    return [.. _starts];
                }
            }
        }

        public void OnRestoreStart(TopicPartition topicPartition, string storeName, long startingOffset, long endingOffset)
        {
            lock (_starts)
            {
                _starts.Add((topicPartition.Partition.Value, startingOffset));
            }
        }

        public void OnBatchRestored(TopicPartition topicPartition, string storeName, long batchEndOffset, long numRestored)
        {
        }

        public void OnRestoreEnd(TopicPartition topicPartition, string storeName, long totalRestored)
        {
        }
    }
}
