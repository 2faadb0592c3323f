using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// The word count of Kafka Streams' quickstart on the real platform: lines produced with Confluent.Kafka, counted by
/// instances of one application in this process, counts read back with a consumer.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class WordCountTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private WordCountRun Run => new(broker.BootstrapServers);

    [Fact]
    public async Task TwoInstances_CountEveryWordExactly_AndTheCountsStayExactWhenOneJoinsAndOneLeaves()
    {
        var (input, output) = await TopicsAsync("join-leave", partitions: 4);
        var expected = new Dictionary<string, long>();

        await using var first = Start("wordcount-join-leave", input, output);
        var states = new List<KafkaStreamsState>();
        first.StateChanged += (_, state) => states.Add(state);
        await ProduceAsync(input, 0, 300, expected);
        await AwaitCountsAsync(output, expected);
        await Wait.UntilAsync(() => first.State == KafkaStreamsState.Running, TimeSpan.FromSeconds(30), "the first instance runs");

        await using var second = Start("wordcount-join-leave", input, output);
        await Wait.UntilAsync(
            () => states.Contains(KafkaStreamsState.Rebalancing) && first.State == KafkaStreamsState.Running && second.State == KafkaStreamsState.Running,
            TimeSpan.FromSeconds(60),
            "the first instance rebalances to share the work with the second");
        await ProduceAsync(input, 300, 300, expected);
        await AwaitCountsAsync(output, expected);

        // The first leaves cleanly: its tasks move to the second, which rebuilds their counts from the changelogs.
        await first.CloseAsync();
        await ProduceAsync(input, 600, 300, expected);
        await AwaitCountsAsync(output, expected);
        Assert.Equal(KafkaStreamsState.NotRunning, first.State);
        Assert.Equal([KafkaStreamsState.PendingShutdown, KafkaStreamsState.NotRunning], states.TakeLast(2));
    }

    [Fact]
    public async Task ANewInstance_RestoresTheCountsFromTheChangelog_AfterTheLastOneStopped()
    {
        var (input, output) = await TopicsAsync("restore", partitions: 2);
        var expected = new Dictionary<string, long>();
        await using (var first = Start("wordcount-restore", input, output))
        {
            await ProduceAsync(input, 0, 200, expected);
            await AwaitCountsAsync(output, expected);
        }

        await using var second = Start("wordcount-restore", input, output);
        await ProduceAsync(input, 200, 100, expected);

        await AwaitCountsAsync(output, expected);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).ToHashSet();
        Assert.Contains("wordcount-restore-counts-store-changelog", topics);
        Assert.Contains("wordcount-restore-counts-store-repartition", topics);
        var config = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "wordcount-restore-counts-store-changelog" }]);
        Assert.Equal("compact", config[0].Entries["cleanup.policy"].Value);
    }

    [Fact]
    public async Task ExactlyOnceV2_CountsExactly_ForReadCommittedConsumers()
    {
        var (input, output) = await TopicsAsync("eos", partitions: 3);
        var expected = new Dictionary<string, long>();

        await using var streams = Start("wordcount-eos", input, output, ProcessingGuarantee.ExactlyOnceV2);
        await ProduceAsync(input, 0, 400, expected);

        await AwaitCountsAsync(output, expected, IsolationLevel.ReadCommitted);
    }

    [Fact]
    public async Task AMissingInputTopic_StopsTheStart()
    {
        var builder = new StreamsBuilder();
        builder.Stream("no-such-input", Consumed.With(Serdes.String(), Serdes.String())).To("anywhere");
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig { ApplicationId = "missing-input", BootstrapServers = broker.BootstrapServers });

        var error = await Assert.ThrowsAsync<StreamsException>(streams.StartAsync);

        Assert.Contains("Missing source topics: [no-such-input]", error.Message);
    }

    [Fact]
    public async Task ARestartedInstance_KeepsItsRocksDbCounts_AndRestoresOnlyAfterItsCheckpoint()
    {
        var (input, output) = await TopicsAsync("persistent", partitions: 2);
        var expected = new Dictionary<string, long>();
        var stateDir = NewStateDir();
        await using (var first = Start("wordcount-persistent", input, output, stateDir: stateDir))
        {
            await ProduceAsync(input, 0, 200, expected);
            await AwaitCountsAsync(output, expected);
        }

        // A clean close leaves each task's checkpoint at the last record of its store's changelog partition.
        for (var partition = 0; partition < 2; partition++)
        {
            Assert.Equal(
                ["0", "1", LastChangelogRecord("wordcount-persistent", partition)],
                await File.ReadAllLinesAsync(Path.Combine(stateDir, "wordcount-persistent", $"1_{partition}", ".checkpoint")));
        }

        // Restarted on the same directory: the counts are on disk, nothing is read back, and counting goes on.
        var restarted = new RecordingRestoreListener();
        await using (var second = Start("wordcount-persistent", input, output, stateDir: stateDir, listener: restarted))
        {
            await ProduceAsync(input, 200, 100, expected);
            await AwaitCountsAsync(output, expected);
        }

        Assert.Empty(restarted.Starts);

        // A checkpoint past the changelog's end is from another life of the topic: the store is wiped and rebuilt whole.
        foreach (var partition in new[] { 0, 1 })
        {
            await File.WriteAllLinesAsync(
                Path.Combine(stateDir, "wordcount-persistent", $"1_{partition}", ".checkpoint"),
                ["0", "1", $"wordcount-persistent-counts-store-changelog {partition} 1000000"]);
        }

        var rebuilt = new RecordingRestoreListener();
        await using (var third = Start("wordcount-persistent", input, output, stateDir: stateDir, listener: rebuilt))
        {
            await ProduceAsync(input, 300, 100, expected);
            await AwaitCountsAsync(output, expected);
        }

        Assert.Equal(2, rebuilt.Starts.Count);
        Assert.All(rebuilt.Starts, s => Assert.Equal(0, s.Start));
        Assert.All(rebuilt.Ends, e => Assert.True(e.Total > 0));
    }

    [Fact]
    public async Task InteractiveQueries_ReadTheCountsOfEveryLocalTask_WhileTheApplicationRuns()
    {
        var (input, output) = await TopicsAsync("queries", partitions: 4);
        var expected = new Dictionary<string, long>();
        var streams = Start("wordcount-queries", input, output);
        await using (streams)
        {
            await ProduceAsync(input, 0, 200, expected);
            await AwaitCountsAsync(output, expected);

            // The counts of four tasks on two threads, read as one store, once the threads have shared the tasks out.
            await Wait.UntilAsync(
                () => streams.MetadataForLocalThreads().SelectMany(t => t.ActiveTasks).Count() == 8 && streams.MetadataForLocalThreads().All(t => t.ActiveTasks.Count > 0),
                TimeSpan.FromSeconds(60),
                "both threads run their tasks");
            var counts = streams.Store<string, long>("counts-store");
            Assert.All(expected, e => Assert.Equal(e.Value, counts.Get(e.Key)));
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), counts.All().Select(e => KeyValuePair.Create(e.Key, e.Value)).OrderBy(e => e.Key, StringComparer.Ordinal));
            Assert.False(counts.TryGet("no-such-word", out _));
            Assert.Throws<InvalidStateStoreException>(() => streams.Store<string, long>("no-such-store"));
            Assert.Throws<InvalidStateStoreException>(() => streams.WindowStore<string, long>("counts-store").Fetch("alpha", 0));
        }

        var closed = Assert.Throws<InvalidStateStoreException>(() => streams.Store<string, long>("counts-store").Get("alpha"));
        Assert.Equal("KafkaStreams is not running. State is NotRunning.", closed.Message);
    }

    [Fact]
    public async Task QueryMetadataForKey_NamesTheInstanceWhoseStoreHoldsTheKey()
    {
        var (input, output) = await TopicsAsync("metadata", partitions: 4);
        var expected = new Dictionary<string, long>();
        await using var first = Start("wordcount-metadata", input, output, applicationServer: "localhost:7001", standbys: 1);
        await using var second = Start("wordcount-metadata", input, output, applicationServer: "localhost:7002", standbys: 1);
        await Wait.UntilAsync(
            () => first.State == KafkaStreamsState.Running && second.State == KafkaStreamsState.Running, TimeSpan.FromSeconds(60), "both instances run");
        await ProduceAsync(input, 0, 200, expected);
        await AwaitCountsAsync(output, expected);

        var instances = new Dictionary<int, KafkaStreams> { [7001] = first, [7002] = second };
        var all = await SettledAsync(first, instances, partitions: 8);
        Assert.Equal([7001, 7002], all.Select(m => m.HostInfo.Port).Order());
        // An instance lists the store when it runs a counting task, one that reads the repartition topic.
        Assert.All(all, m => Assert.Equal(m.TopicPartitions.Any(p => p.Topic.EndsWith("-repartition", StringComparison.Ordinal)), m.StateStoreNames.Contains("counts-store")));
        foreach (var (word, count) in expected)
        {
            // Asked of either instance, the answer is the same; the named one has the count, the other has none.
            var metadata = await second.QueryMetadataForKeyAsync("counts-store", word, Serdes.String());
            Assert.Equal(metadata, await first.QueryMetadataForKeyAsync("counts-store", word, Serdes.String()));
            Assert.Equal("localhost", metadata.ActiveHost!.Host);

            // With one standby replica and two instances, the other instance keeps the key's standby (not queried: its stores are not active).
            Assert.Equal([new HostInfo("localhost", metadata.ActiveHost.Port == 7001 ? 7002 : 7001)], metadata.StandbyHosts);
            Assert.Equal(count, instances[metadata.ActiveHost.Port].Store<string, long>("counts-store").Get(word));
            Assert.False(instances[metadata.ActiveHost.Port == 7001 ? 7002 : 7001].Store<string, long>("counts-store").TryGet(word, out _));
        }
    }

    [Fact]
    public async Task ASecondInstance_OnTheSameStateDirectory_FailsToStart()
    {
        var (input, output) = await TopicsAsync("locked", partitions: 1);
        var stateDir = NewStateDir();
        await using var first = Start("wordcount-locked", input, output, stateDir: stateDir);

        var error = Assert.Throws<StreamsException>(() => Start("wordcount-locked", input, output, stateDir: stateDir));

        Assert.Contains("multiple instances of Kafka Streams are running in the same state directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStandbyReplica_FollowsTheOtherInstancesChangelogs_SoThatATakeoverRestoresNothing()
    {
        var (input, output) = await TopicsAsync("standby", partitions: 2);
        var expected = new Dictionary<string, long>();
        var (firstDir, secondDir) = (NewStateDir(), NewStateDir());
        var taken = new RecordingRestoreListener();
        await using var first = Start("wordcount-standby", input, output, stateDir: firstDir, standbys: 1);
        await using var second = Start("wordcount-standby", input, output, stateDir: secondDir, listener: taken, standbys: 1);
        await Wait.UntilAsync(() => first.State == KafkaStreamsState.Running && second.State == KafkaStreamsState.Running, TimeSpan.FromSeconds(60), "both instances run");
        await ProduceAsync(input, 0, 300, expected);
        await AwaitCountsAsync(output, expected);

        // The active tasks write no checkpoint until they close (fewer than 10,000 changes): a checkpoint at the end of each
        // changelog partition is the standby's, on the instance the task is not active on.
        for (var partition = 0; partition < 2; partition++)
        {
            var current = LastChangelogRecord("wordcount-standby", partition);
            await Wait.UntilAsync(
                () => new[] { firstDir, secondDir }.Count(dir => Checkpoint(dir, partition).Contains(current)) == 1,
                TimeSpan.FromSeconds(60),
                $"a standby of task 1_{partition} reaches {current}");
        }

        // The first leaves: the second takes its tasks over from its standbys' files, restoring nothing, and counts on.
        var startsBefore = taken.Starts.Count;
        await first.CloseAsync();
        await ProduceAsync(input, 300, 200, expected);
        await AwaitCountsAsync(output, expected);
        Assert.Equal(startsBefore, taken.Starts.Count);
    }

    [Theory]
    [InlineData(10 * 1024 * 1024)]
    [InlineData(0)]
    public async Task TheRecordCache_WritesEachWordsLatestCountOncePerCommit_AndWithoutItEveryCountIsWritten(long cacheBytes)
    {
        var name = cacheBytes == 0 ? "uncached" : "cached";
        var (input, output) = await TopicsAsync(name, partitions: 2);
        var expected = new Dictionary<string, long>();
        await using var streams = Start("wordcount-" + name, input, output, cacheMaxBytes: cacheBytes, commitInterval: TimeSpan.FromSeconds(2));

        await ProduceAsync(input, 0, 400, expected);
        await AwaitCountsAsync(output, expected);

        var words = expected.Values.Sum();
        var updates = RecordsIn(output, partitions: 2);
        var changes = RecordsIn($"wordcount-{name}-counts-store-changelog", partitions: 2);
        if (cacheBytes == 0)
        {
            Assert.Equal(words, updates);
            Assert.Equal(words, changes);
        }
        else
        {
            // 11 words, a commit every 2 s: a few updates per word, not one per occurrence.
            Assert.InRange(updates, expected.Count, words / 4);
            Assert.InRange(changes, expected.Count, words / 4);
        }
    }

    [Fact]
    public async Task AnInstanceWhoseStaticIdAnotherTakes_LosesItsTasks_AndStops_WhileTheOtherCountsOn()
    {
        var (input, output) = await TopicsAsync("fenced", partitions: 2);
        var expected = new Dictionary<string, long>();
        await using var first = Start("wordcount-fenced", input, output, groupInstanceId: "same");
        await ProduceAsync(input, 0, 200, expected);
        await AwaitCountsAsync(output, expected);

        // A second process configured with the same group.instance.id: the group puts the first one's threads out, and
        // they stop (Kafka's FencedInstanceIdException), leaving their tasks uncommitted to the second.
        await using var second = Start("wordcount-fenced", input, output, groupInstanceId: "same");
        await Wait.UntilAsync(() => first.State == KafkaStreamsState.Error, TimeSpan.FromSeconds(60), "the fenced instance to stop with an error");
        await ProduceAsync(input, 200, 100, expected);
        await AwaitCountsAsync(output, expected);
        Assert.Equal(KafkaStreamsState.Running, second.State);
        Assert.Empty(first.MetadataForLocalThreads());
    }

    [Fact]
    public async Task AStaticMemberRestartedWithinTheSessionTimeout_GetsItsTasksBack_AndRestoresNothing()
    {
        var (input, output) = await TopicsAsync("static", partitions: 4);
        var expected = new Dictionary<string, long>();
        var stateDir = NewStateDir();
        await using var other = Start("wordcount-static", input, output, applicationServer: "localhost:7102", groupInstanceId: "other");
        List<TopicPartition> before;
        await using (var first = Start("wordcount-static", input, output, stateDir: stateDir, applicationServer: "localhost:7101", groupInstanceId: "first"))
        {
            await ProduceAsync(input, 0, 200, expected);
            await AwaitCountsAsync(output, expected);
            before = await PartitionsOfAsync(first, "localhost:7101");
            Assert.NotEmpty(before);
        }

        // Back on the same state directory before the 6 s session timeout: the same tasks, their stores as they were left.
        var restarted = new RecordingRestoreListener();
        await using var again = Start("wordcount-static", input, output, stateDir: stateDir, listener: restarted, applicationServer: "localhost:7101", groupInstanceId: "first");
        await ProduceAsync(input, 200, 100, expected);
        await AwaitCountsAsync(output, expected);

        Assert.Equal(Sorted(before), Sorted(await PartitionsOfAsync(again, "localhost:7101")));
        Assert.Empty(restarted.Starts);
    }

    /// <summary>
    /// The instances' metadata once the group has settled (every one of the application's partitions held, the
    /// cooperative protocol's second rebalance done) and each instance runs the tasks it was given.
    /// </summary>
    private static async Task<IReadOnlyList<StreamsMetadata>> SettledAsync(KafkaStreams any, Dictionary<int, KafkaStreams> instances, int partitions)
    {
        IReadOnlyList<StreamsMetadata> all = [];
        await Wait.UntilAsync(
            async () =>
            {
                all = await any.MetadataForAllStreamsClientsAsync();
                return all.Count == instances.Count
                    && all.SelectMany(m => m.TopicPartitions).Distinct().Count() == partitions
                    && all.All(m => instances[m.HostInfo.Port].MetadataForLocalThreads()
                        .SelectMany(t => t.ActiveTasks).SelectMany(t => t.TopicPartitions).ToHashSet().SetEquals(m.TopicPartitions));
            },
            TimeSpan.FromSeconds(60),
            "the group settles and every instance runs its tasks");
        return all;
    }

    /// <summary>The input and repartition partitions an instance holds, once the group is stable with both instances in it.</summary>
    private static async Task<List<TopicPartition>> PartitionsOfAsync(KafkaStreams streams, string server)
    {
        var held = new List<TopicPartition>();
        await Wait.UntilAsync(
            async () =>
            {
                var instances = await streams.MetadataForAllStreamsClientsAsync();
                held = instances.FirstOrDefault(i => $"{i.HostInfo.Host}:{i.HostInfo.Port}" == server)?.TopicPartitions.ToList() ?? [];
                return instances.Count == 2 && held.Count > 0;
            },
            TimeSpan.FromSeconds(60),
            "both instances hold tasks");
        return held;
    }

    private static List<string> Sorted(IEnumerable<TopicPartition> partitions) => [.. partitions.Select(p => p.ToString()).Order(StringComparer.Ordinal)];

    private long RecordsIn(string topic, int partitions)
    {
        using var watermarks = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, partitions).Sum(p => watermarks.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    private string LastChangelogRecord(string applicationId, int partition) => Run.LastChangelogRecord(applicationId, partition);

    private static string[] Checkpoint(string stateDir, int partition) => WordCountRun.Checkpoint(stateDir, "wordcount-standby", partition);

    private KafkaStreams Start(
        string applicationId, string input, string output, ProcessingGuarantee guarantee = ProcessingGuarantee.AtLeastOnce, string? stateDir = null,
        IStateRestoreListener? listener = null, string? applicationServer = null, int standbys = 0, long? cacheMaxBytes = null, TimeSpan? commitInterval = null,
        string? groupInstanceId = null)
    {
        var consumerConfig = new Dictionary<string, string> { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "500" };
        if (groupInstanceId is not null)
        {
            consumerConfig["group.instance.id"] = groupInstanceId;
        }

        var builder = new StreamsBuilder();
        builder.Stream(input, Consumed.With(Serdes.String(), Serdes.String()))
            .FlatMapValues(line => line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy((_, word) => word)
            .Count(materialized: Materialized.As<string, long>("counts-store"))
            .ToStream()
            .To(output, Produced.With(Serdes.String(), Serdes.Int64()));
        var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = applicationId,
            BootstrapServers = broker.BootstrapServers,
            // As Kafka's WordCountDemo: the grouping by word takes the default serdes.
            DefaultKeySerde = Serdes.String(),
            DefaultValueSerde = Serdes.String(),
            ProcessingGuarantee = guarantee,
            CommitInterval = commitInterval ?? TimeSpan.FromMilliseconds(200),
            StatestoreCacheMaxBytes = cacheMaxBytes ?? 10 * 1024 * 1024,
            NumStreamThreads = 2,
            ConsumerConfig = consumerConfig,
            // Instances of one application in one process need a state directory each.
            StateDir = stateDir ?? NewStateDir(),
            ApplicationServer = applicationServer,
            NumStandbyReplicas = standbys,
        })
        {
            GlobalStateRestoreListener = listener,
        };
        streams.StartAsync().GetAwaiter().GetResult();
        return streams;
    }

    private static string NewStateDir() => Path.Combine(Path.GetTempPath(), "tributary-streams-tests", Guid.NewGuid().ToString("N"));

    private async Task<(string Input, string Output)> TopicsAsync(string name, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = $"{name}-lines", NumPartitions = partitions, ReplicationFactor = 1 },
            new TopicSpecification { Name = $"{name}-counts", NumPartitions = partitions, ReplicationFactor = 1 },
        ]);
        return ($"{name}-lines", $"{name}-counts");
    }

    private Task ProduceAsync(string topic, int first, int count, Dictionary<string, long> expected) => Run.ProduceAsync(topic, first, count, expected);

    private Task AwaitCountsAsync(string topic, Dictionary<string, long> expected, IsolationLevel isolation = IsolationLevel.ReadUncommitted) =>
        Run.AwaitCountsAsync(topic, expected, isolation);

    private sealed class RecordingRestoreListener : IStateRestoreListener
    {
        public List<(string Store, long Start, long End)> Starts { get; } = [];

        public List<(string Store, long Total)> Ends { get; } = [];

        public void OnRestoreStart(TopicPartition topicPartition, string storeName, long startingOffset, long endingOffset)
        {
            lock (this)
            {
                Starts.Add((storeName, startingOffset, endingOffset));
            }
        }

        public void OnBatchRestored(TopicPartition topicPartition, string storeName, long batchEndOffset, long numRestored)
        {
        }

        public void OnRestoreEnd(TopicPartition topicPartition, string storeName, long totalRestored)
        {
            lock (this)
            {
                Ends.Add((storeName, totalRestored));
            }
        }
    }
}
