using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// A silo of a three-silo cluster killed with <c>kill -9</c>: the others keep serving their partitions and the
/// consumer group, the dead one's partitions answer retriable errors, and once it is back it serves every record it
/// acknowledged.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailureTests(RedisClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private const string Topic = "survivors";

    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task KilledSilo_OthersKeepServing_AndItServesEveryAcknowledgedRecordWhenBack()
    {
        await ClusterClients.CreateTopicAsync(Cluster.Silos[1].BootstrapServers, Topic, 12);
        var leaders = ClusterClients.Leaders(Cluster.Silos[1].BootstrapServers, Topic);
        const int victim = 3;
        var victimPartitions = leaders.Where(l => l.Value == victim).Select(l => l.Key).ToHashSet();
        var survivorPartitions = leaders.Keys.Except(victimPartitions).ToList();
        var bootstrap = $"{Cluster.Silos[1].BootstrapServers},{Cluster.Silos[2].BootstrapServers}";

        // Before the failure: records on every partition, acknowledged with acks=all; a group consumes and commits some.
        var acknowledged = new ConcurrentDictionary<(int Partition, long Offset), string>();
        using var producer = ClusterClients.Producer(bootstrap, messageTimeoutMs: 60_000);
        await ProduceAsync(producer, leaders.Keys, "before", 20, acknowledged);

        // Several groups, so that some group's coordinator grain is likely to be on the silo that dies.
        var groups = Enumerable.Range(0, 4).Select(g => $"survivors-group-{g}").ToList();
        var consumers = groups.Select(g => ClusterClients.Consumer(bootstrap, g)).ToList();
        foreach (var consumer in consumers)
        {
            consumer.Subscribe(Topic);
            ConsumeUntil(consumer, leaders.Count * 20, TimeSpan.FromSeconds(30));
            consumer.Commit();
        }

        await Cluster.KillAsync(victim);
        var killed = Stopwatch.StartNew();

        // Partitions on the surviving silos take new records without a failure, while the dead silo's do not answer.
        await ProduceAsync(producer, survivorPartitions, "during", 20, acknowledged);
        output.WriteLine($"surviving partitions acknowledged 20 records each {killed.ElapsedMilliseconds} ms after the kill");

        // Once membership declares the silo dead, Metadata says its partitions have no leader (retriable), and a
        // produce for one of them sent to a survivor answers NOT_LEADER_OR_FOLLOWER: never a wrong answer.
        await ClusterClients.WaitForBrokersAsync(Cluster.Silos[1].BootstrapServers, [1, 2], TimeSpan.FromSeconds(30));
        output.WriteLine($"membership dropped the silo {killed.ElapsedMilliseconds} ms after the kill");
        using (var admin = ClusterClients.Admin(Cluster.Silos[2].BootstrapServers))
        {
            var partitions = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
            Assert.All(partitions.Where(p => victimPartitions.Contains(p.PartitionId)), p =>
            {
                Assert.Equal(-1, p.Leader);
                Assert.Equal(Confluent.Kafka.ErrorCode.LeaderNotAvailable, p.Error.Code);
            });
            Assert.All(partitions.Where(p => !victimPartitions.Contains(p.PartitionId)), p => Assert.Equal(leaders[p.PartitionId], p.Leader));
        }

        using (var raw = new RawKafkaClient(Cluster.KafkaPort(1)))
        {
            var answer = raw.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 10_000,
                TopicData = [new() { Name = Topic, PartitionData = [new() { Index = victimPartitions.First(), Records = Batches.Make(1) }] }],
            });
            Assert.Equal((short)ErrorCode.NotLeaderOrFollower, answer.Responses[0].PartitionResponses[0].ErrorCode);
        }

        // The consumer groups go on through the failure: they read the new records and commit through the survivors.
        foreach (var consumer in consumers)
        {
            ConsumeUntil(consumer, survivorPartitions.Count * 20, TimeSpan.FromSeconds(30));
            consumer.Commit();
        }

        using (var admin = ClusterClients.Admin(Cluster.Silos[2].BootstrapServers))
        {
            foreach (var group in groups)
            {
                var committed = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)]);
                var offsets = committed.Single().Partitions.ToDictionary(p => p.Partition.Value, p => p.Offset.Value);
                Assert.All(survivorPartitions, p => Assert.Equal(40, offsets[p]));
                Assert.All(victimPartitions, p => Assert.Equal(20, offsets[p]));
            }
        }

        consumers.ForEach(c => c.Dispose());

        // Back with its data directory: every acknowledged record of every partition is there, in order, and the
        // partitions take records again.
        await Cluster.StartSiloAsync(victim);
        await ClusterClients.WaitForBrokersAsync(Cluster.Silos[1].BootstrapServers, [1, 2, 3], TimeSpan.FromSeconds(60));
        await ProduceAsync(producer, victimPartitions, "after", 5, acknowledged);
        var all = ClusterClients.ReadAll(Cluster.BootstrapServers, Topic, leaders.Keys, acknowledged.Count);
        Assert.Equal(
            acknowledged.OrderBy(a => a.Key).Select(a => $"{a.Key.Partition}/{a.Key.Offset}={a.Value}"),
            all.OrderBy(r => (r.Partition.Value, r.Offset.Value)).Select(r => $"{r.Partition.Value}/{r.Offset.Value}={r.Message.Value}"));
    }

    [Fact]
    public async Task OpenTransactions_WhoseCoordinatorsDiedWithASilo_AreAbortedAtTheirTimeout()
    {
        const string topic = "orphans";
        const int victim = 2;
        await ClusterClients.CreateTopicAsync(Cluster.Silos[1].BootstrapServers, topic, 12);
        var leaders = ClusterClients.Leaders(Cluster.Silos[1].BootstrapServers, topic);
        var survivors = leaders.Where(l => l.Value != victim).Select(l => l.Key).Order().ToList();
        var bootstrap = $"{Cluster.Silos[1].BootstrapServers},{Cluster.Silos[3].BootstrapServers}";

        // Ten producers leave a transaction open on the surviving silos' partitions; their coordinator grains are spread
        // over the silos, so some are very likely on the one that dies.
        var producers = Enumerable.Range(0, 10).Select(i => new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            TransactionalId = $"orphan-{i}",
            TransactionTimeoutMs = 5000,
        }).Build()).ToList();
        try
        {
            for (var i = 0; i < producers.Count; i++)
            {
                producers[i].InitTransactions(TimeSpan.FromSeconds(30));
                producers[i].BeginTransaction();
                await producers[i].ProduceAsync(new TopicPartition(topic, survivors[i % survivors.Count]), new Message<string, string> { Key = "k", Value = $"open-{i}" });
            }

            await Cluster.KillAsync(victim);

            // Every transaction ends (aborted at its timeout), so the last stable offset reaches the log end on every
            // partition and a read_committed consumer sees none of the records.
            using var admin = ClusterClients.Admin(Cluster.Silos[1].BootstrapServers);
            var partitions = survivors.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, p), OffsetSpec = OffsetSpec.Latest() }).ToList();
            var killed = Stopwatch.StartNew();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            var stable = false;
            var last = "no answer";
            while (!stable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
                try
                {
                    // Each ask bounded: one sent to the dead broker before the client notices must not use up the wait.
                    var options = (IsolationLevel level) => new ListOffsetsOptions { IsolationLevel = level, RequestTimeout = TimeSpan.FromSeconds(10) };
                    var committed = await admin.ListOffsetsAsync(partitions, options(IsolationLevel.ReadCommitted));
                    var uncommitted = await admin.ListOffsetsAsync(partitions, options(IsolationLevel.ReadUncommitted));
                    var stableOffsets = committed.ResultInfos.Select(r => r.TopicPartitionOffsetError.Offset.Value).ToList();
                    var endOffsets = uncommitted.ResultInfos.Select(r => r.TopicPartitionOffsetError.Offset.Value).ToList();
                    stable = stableOffsets.SequenceEqual(endOffsets);
                    last = $"last stable offsets [{string.Join(",", stableOffsets)}], log ends [{string.Join(",", endOffsets)}]";
                }
                catch (KafkaException e)
                {
                    // Asked of the dead broker before membership dropped it: ask again.
                    last = e.Message;
                }
            }

            output.WriteLine($"every transaction ended {killed.ElapsedMilliseconds} ms after the kill");
            Assert.True(stable, $"open transactions were not aborted: {last}\n"
                + string.Join("\n", Cluster.Silos.Select(s => $"--- broker {s.Key} ---\n{string.Join("\n", s.Value.Output.Split('\n').TakeLast(40))}")));
            var (visible, ended) = ClusterClients.ReadCommitted(bootstrap, topic, survivors);
            Assert.Equal(survivors.Count, ended);
            Assert.DoesNotContain(visible, v => v.StartsWith("open-", StringComparison.Ordinal));
        }
        finally
        {
            producers.ForEach(p => p.Dispose());
            if (!Cluster.Silos.ContainsKey(victim))
            {
                await Cluster.StartSiloAsync(victim);
            }
        }
    }

    private static async Task ProduceAsync(
        IProducer<string, string> producer, IEnumerable<int> partitions, string phase, int perPartition, ConcurrentDictionary<(int, long), string> acknowledged)
    {
        var deliveries = partitions.SelectMany(p => Enumerable.Range(0, perPartition).Select(i =>
            producer.ProduceAsync(new TopicPartition(Topic, p), new Message<string, string> { Key = $"{phase}-{p}-{i}", Value = $"{phase}-{p}-{i}" }))).ToList();
        foreach (var delivery in deliveries)
        {
            var result = await delivery;
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
            Assert.True(acknowledged.TryAdd((result.Partition.Value, result.Offset.Value), result.Message.Value));
        }
    }

    /// <summary>Consumes until <paramref name="count"/> distinct records came: a rebalance may deliver some again.</summary>
    private static HashSet<string> ConsumeUntil(IConsumer<string, string> consumer, int count, TimeSpan timeout)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + timeout;
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                values.Add(result.Message.Value);
            }
        }

        Assert.Equal(count, values.Count);
        return values;
    }
}
