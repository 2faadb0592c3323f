using Confluent.Kafka;
using Xunit.Abstractions;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// Three silo processes on loopback with Redis membership serve as one Kafka cluster to Confluent clients. The silos
/// run Kafka's authorizer open to everyone where no ACL says otherwise, so that every test here also shows that an
/// authorizer with no ACLs on a resource changes nothing (<see cref="AuthorizingClusterFixture"/>).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterTests(AuthorizingClusterFixture fixture, ITestOutputHelper output) : IClassFixture<AuthorizingClusterFixture>
{
    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Metadata_FromEverySilo_AgreesOnBrokersControllerAndLeaders()
    {
        await ClusterClients.CreateTopicAsync(Cluster.Silos[2].BootstrapServers, "spread", 12);

        var views = Cluster.Silos.Values.Select(silo =>
        {
            using var admin = ClusterClients.Admin(silo.BootstrapServers);
            var metadata = admin.GetMetadata("spread", TimeSpan.FromSeconds(10));
            return (
                Brokers: string.Join(",", metadata.Brokers.OrderBy(b => b.BrokerId).Select(b => $"{b.BrokerId}@{b.Host}:{b.Port}")),
                Controller: metadata.OriginatingBrokerId == 0 ? -1 : ControllerOf(silo.KafkaPort),
                Leaders: string.Join(",", metadata.Topics.Single().Partitions.OrderBy(p => p.PartitionId).Select(p => p.Leader)));
        }).ToList();

        var expectedBrokers = string.Join(",", new[] { 1, 2, 3 }.Select(id => $"{id}@localhost:{Cluster.KafkaPort(id)}"));
        Assert.All(views, view => Assert.Equal(expectedBrokers, view.Brokers));
        Assert.Single(views.Select(v => v.Controller).Distinct());
        Assert.Single(views.Select(v => v.Leaders).Distinct());
        var leaders = ClusterClients.Leaders(Cluster.Silos[1].BootstrapServers, "spread");
        Assert.Equal(12, leaders.Count);
        Assert.All(new[] { 1, 2, 3 }, id => Assert.Equal(4, leaders.Values.Count(l => l == id)));
    }

    [Fact]
    public async Task ReplicaAssignments_PutEachPartitionsReplicasOnTheBrokersNamed_TheFirstLeading()
    {
        using var admin = ClusterClients.Admin(Cluster.Silos[1].BootstrapServers);

        await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification
        {
            Name = "assigned",
            NumPartitions = 2,
            ReplicationFactor = -1,
            ReplicasAssignments = new() { [0] = [2], [1] = [3] },
        }]);
        await admin.CreatePartitionsAsync([new Confluent.Kafka.Admin.PartitionsSpecification { Topic = "assigned", IncreaseTo = 3, ReplicaAssignments = [[2]] }]);
        await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification
        {
            Name = "assigned-twice",
            NumPartitions = 1,
            ReplicationFactor = -1,
            ReplicasAssignments = new() { [0] = [1, 2] },
        }]);

        Assert.Equal([2, 3, 2], (await ClusterClients.WaitForPartitionsAsync(Cluster.Silos[3].BootstrapServers, "assigned", 3)).OrderBy(p => p.Key).Select(p => p.Value));
        await ClusterClients.WaitForPartitionsAsync(Cluster.Silos[3].BootstrapServers, "assigned-twice", 1);
        var twice = admin.GetMetadata("assigned-twice", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Single();
        Assert.Equal([1, 2], twice.Replicas);
        Assert.Equal(1, twice.Leader);

        // Partition 1 of the first is written by broker 3, the only one that serves it; the second's by broker 1, and copied by 2.
        using var producer = ClusterClients.Producer(Cluster.Silos[1].BootstrapServers);
        var delivered = await producer.ProduceAsync(new TopicPartition("assigned", 1), new Message<string, string> { Key = "k", Value = "on broker 3" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        delivered = await producer.ProduceAsync(new TopicPartition("assigned-twice", 0), new Message<string, string> { Key = "k", Value = "on brokers 1 and 2" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task ProducerAndConsumerGroup_SeeEveryRecord_OfPartitionsOnAllSilos()
    {
        // Each client is given one silo only: it finds the others from Metadata.
        await ClusterClients.CreateTopicAsync(Cluster.Silos[1].BootstrapServers, "everyone", 12);
        var sent = new HashSet<string>();
        using (var producer = ClusterClients.Producer(Cluster.Silos[3].BootstrapServers))
        {
            var deliveries = Enumerable.Range(0, 1200).Select(i => producer.ProduceAsync("everyone", new Message<string, string> { Key = $"k{i}", Value = $"v{i}" })).ToList();
            foreach (var delivery in deliveries)
            {
                var result = await delivery;
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
                sent.Add(result.Message.Value);
            }
        }

        var received = new HashSet<string>();
        var partitionsSeen = new HashSet<int>();
        using (var first = ClusterClients.Consumer(Cluster.Silos[1].BootstrapServers, "everyone-group"))
        using (var second = ClusterClients.Consumer(Cluster.Silos[2].BootstrapServers, "everyone-group"))
        {
            first.Subscribe("everyone");
            second.Subscribe("everyone");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (received.Count < sent.Count && DateTime.UtcNow < deadline)
            {
                foreach (var consumer in new[] { first, second })
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
                    {
                        received.Add(result.Message.Value);
                        partitionsSeen.Add(result.Partition.Value);
                        consumer.Commit(result);
                    }
                }
            }

            Assert.NotEmpty(first.Assignment);
            Assert.NotEmpty(second.Assignment);
        }

        Assert.Equal(sent.Order(), received.Order());
        Assert.Equal(12, partitionsSeen.Count);

        // The group's committed offsets are the same through any silo.
        using var admin = ClusterClients.Admin(Cluster.Silos[3].BootstrapServers);
        var committed = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("everyone-group", null)]);
        Assert.Equal(1200, committed.Single().Partitions.Sum(p => p.Offset.Value));
    }

    [Fact]
    public async Task ProduceAndFetch_SentToASiloThatDoesNotLeadThePartition_AnswerNotLeaderOrFollower()
    {
        await ClusterClients.CreateTopicAsync(Cluster.Silos[1].BootstrapServers, "elsewhere", 3);
        var leaders = ClusterClients.Leaders(Cluster.Silos[1].BootstrapServers, "elsewhere");
        var (partition, leader) = leaders.First();
        var other = Cluster.Silos.Keys.First(id => id != leader);

        using var client = new RawKafkaClient(Cluster.KafkaPort(other));
        var produced = client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new() { Name = "elsewhere", PartitionData = [new() { Index = partition, Records = Batches.Make(3) }] }],
        });
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, produced.Responses[0].PartitionResponses[0].ErrorCode);

        var fetched = client.Call<FetchResponse>(ApiKey.Fetch, 11, new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 0,
            MaxBytes = 1 << 20,
            Topics = [new() { Topic = "elsewhere", Partitions = [new() { Partition = partition, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }] }],
        });
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, fetched.Responses[0].Partitions[0].ErrorCode);

        // The leader itself takes the same batch.
        using var leaderClient = new RawKafkaClient(Cluster.KafkaPort(leader));
        var accepted = leaderClient.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new() { Name = "elsewhere", PartitionData = [new() { Index = partition, Records = Batches.Make(3) }] }],
        });
        Assert.Equal(0, accepted.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task ProduceAndFetch_SentToASiloThatDoesNotLeadThePartition_NameItsLeaderAndEpoch_AndTheLeadersEndpoint()
    {
        await ClusterClients.CreateTopicAsync(Cluster.Silos[1].BootstrapServers, "redirected", 3);
        var (partition, leader) = ClusterClients.Leaders(Cluster.Silos[1].BootstrapServers, "redirected").First();
        var other = Cluster.Silos.Keys.First(id => id != leader);
        using var client = new RawKafkaClient(Cluster.KafkaPort(other));
        var metadata = client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [new() { Name = "redirected" }] });
        var topic = Assert.Single(metadata.Topics);
        var epoch = topic.Partitions.Single(p => p.PartitionIndex == partition).LeaderEpoch;
        var named = metadata.Brokers.Single(b => b.NodeId == leader);

        var produced = client.Call<ProduceResponse>(ApiKey.Produce, 10, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new() { Name = "redirected", PartitionData = [new() { Index = partition, Records = Batches.Make(3) }] }],
        });
        var fetched = client.Call<FetchResponse>(ApiKey.Fetch, 16, new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 0,
            MaxBytes = 1 << 20,
            SessionEpoch = -1,
            Topics = [new() { TopicId = topic.TopicId, Partitions = [new() { Partition = partition, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }] }],
        });

        var expected = ((short)ErrorCode.NotLeaderOrFollower, (int?)leader, (int?)epoch, (leader, named.Host, Cluster.KafkaPort(leader), named.Rack));
        var (producedPartition, producedEndpoint) = (produced.Responses[0].PartitionResponses[0], Assert.Single(produced.NodeEndpoints));
        Assert.Equal(expected, (producedPartition.ErrorCode, producedPartition.CurrentLeader?.LeaderId, producedPartition.CurrentLeader?.LeaderEpoch,
            (producedEndpoint.NodeId, producedEndpoint.Host, producedEndpoint.Port, producedEndpoint.Rack)));
        var (fetchedPartition, fetchedEndpoint) = (fetched.Responses[0].Partitions[0], Assert.Single(fetched.NodeEndpoints));
        Assert.Equal(expected, (fetchedPartition.ErrorCode, fetchedPartition.CurrentLeader?.LeaderId, fetchedPartition.CurrentLeader?.LeaderEpoch,
            (fetchedEndpoint.NodeId, fetchedEndpoint.Host, fetchedEndpoint.Port, fetchedEndpoint.Rack)));
    }

    [Fact]
    public async Task Transactions_SpanningPartitionsOnAllSilos_CommitAndAbortWhole()
    {
        await ClusterClients.CreateTopicAsync(Cluster.Silos[1].BootstrapServers, "txn-spread", 12);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Cluster.Silos[2].BootstrapServers,
            TransactionalId = "cluster-txn",
        }).Build())
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            foreach (var (name, commit) in new[] { ("committed", true), ("aborted", false) })
            {
                producer.BeginTransaction();
                for (var p = 0; p < 12; p++)
                {
                    producer.Produce(new TopicPartition("txn-spread", p), new Message<string, string> { Key = name, Value = $"{name}-{p}" });
                }

                producer.Flush(TimeSpan.FromSeconds(30));
                if (commit)
                {
                    producer.CommitTransaction(TimeSpan.FromSeconds(30));
                }
                else
                {
                    producer.AbortTransaction(TimeSpan.FromSeconds(30));
                }
            }
        }

        // A read_committed consumer given another silo sees exactly the committed transaction, on every partition.
        var (values, _) = ClusterClients.ReadCommitted(Cluster.Silos[3].BootstrapServers, "txn-spread", Enumerable.Range(0, 12));
        Assert.Equal(Enumerable.Range(0, 12).Select(p => $"committed-{p}").Order(), values.Order());
    }

    [Fact]
    public async Task DescribeClusterAndRestProxy_NameEveryBrokerWithItsOwnAddress()
    {
        using (var admin = ClusterClients.Admin(Cluster.Silos[3].BootstrapServers))
        {
            var described = await admin.DescribeClusterAsync();
            Assert.Equal(
                new[] { 1, 2, 3 }.Select(id => $"{id}@localhost:{Cluster.KafkaPort(id)}"),
                described.Nodes.OrderBy(n => n.Id).Select(n => $"{n.Id}@{n.Host}:{n.Port}"));
            Assert.Equal(1, described.Controller.Id);
        }

        using var http = new HttpClient();
        var clusterId = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{Cluster.Silos[2].RestUrl}/v3/clusters"))
            .RootElement.GetProperty("data")[0].GetProperty("cluster_id").GetString();
        var brokers = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{Cluster.Silos[2].RestUrl}/v3/clusters/{clusterId}/brokers"))
            .RootElement.GetProperty("data").EnumerateArray()
            .Select(b => $"{b.GetProperty("broker_id").GetInt32()}@{b.GetProperty("host").GetString()}:{b.GetProperty("port").GetInt32()}");
        Assert.Equal(new[] { 1, 2, 3 }.Select(id => $"{id}@localhost:{Cluster.KafkaPort(id)}"), brokers);
        Assert.Equal("{\"brokers\":[1,2,3]}", await http.GetStringAsync($"{Cluster.Silos[1].RestUrl}/brokers"));
    }

    [Fact]
    public async Task ASiloGivenATakenBrokerId_RefusesToStart_AndTheBrokerKeepsItsPartitions()
    {
        await ClusterClients.CreateTopicAsync(Cluster.Silos[1].BootstrapServers, "impostor", 3);
        var partition = ClusterClients.Leaders(Cluster.Silos[1].BootstrapServers, "impostor").First(l => l.Value == 2).Key;
        var data = Path.Combine(Path.GetTempPath(), "tributary-tests", "impostor-" + Guid.NewGuid().ToString("N"));
        try
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloLauncher.StartAsync(
                data,
                Cluster.Environment,
                ["--broker-id", "2", "--advertised-ip", "127.0.0.1", "--Tributary:Cluster:DuplicateBrokerIdWait", "00:00:03", .. Cluster.Membership]));
            Assert.Contains("Broker id 2 is already taken", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }

        // Broker 2 still serves its partition, under its own address, from every silo's point of view.
        await SiloCluster.WaitForBrokersAsync(Cluster.KafkaPort(1), [1, 2, 3], TimeSpan.FromSeconds(30));
        using var producer = ClusterClients.Producer(Cluster.Silos[3].BootstrapServers);
        var result = await producer.ProduceAsync(new TopicPartition("impostor", partition), new Message<string, string> { Key = "k", Value = "v" });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(2, ClusterClients.Leaders(Cluster.Silos[1].BootstrapServers, "impostor")[partition]);
    }

    [Fact]
    public async Task RestProxy_ProducesToEveryPartition_WhicheverSiloLeadsIt()
    {
        await ClusterClients.CreateTopicAsync(Cluster.Silos[1].BootstrapServers, "rest-anywhere", 6);
        var leaders = await ClusterClients.WaitForPartitionsAsync(Cluster.Silos[1].BootstrapServers, "rest-anywhere", 6);
        Assert.Equal(3, leaders.Values.Distinct().Count());

        // One REST Proxy takes records for every partition, the ones other silos lead too, as Confluent's does.
        using var http = new HttpClient();
        var rest = $"{Cluster.Silos[1].RestUrl}/v3/clusters/{await ClusterIdAsync(http)}/topics/rest-anywhere/records";
        foreach (var partition in Enumerable.Range(0, 6))
        {
            var response = await http.PostAsync(rest, new StringContent(
                System.Text.Json.JsonSerializer.Serialize(new { partition_id = partition, value = new { type = "STRING", data = $"v{partition}" } }),
                System.Text.Encoding.UTF8,
                "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            Assert.Equal(200, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error_code").GetInt32());
        }

        var read = ClusterClients.ReadAll(Cluster.Silos[2].BootstrapServers, "rest-anywhere", Enumerable.Range(0, 6), 6);
        Assert.Equal(Enumerable.Range(0, 6).Select(p => $"{p}:v{p}"), read.Select(r => $"{r.Partition.Value}:{r.Message.Value}").Order());
    }

    private async Task<string> ClusterIdAsync(HttpClient http) =>
        System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{Cluster.Silos[1].RestUrl}/v3/clusters"))
            .RootElement.GetProperty("data")[0].GetProperty("cluster_id").GetString()!;

    [Fact]
    public async Task HealthProbes_AnswerLiveAndReady_OnEverySilo()
    {
        using var http = new HttpClient();
        foreach (var silo in Cluster.Silos.Values)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{silo.HealthPort}/health/live")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{silo.HealthPort}/health/ready")).StatusCode);
        }
    }

    private static int ControllerOf(int kafkaPort)
    {
        using var client = new RawKafkaClient(kafkaPort);
        return client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] }).ControllerId;
    }
}
