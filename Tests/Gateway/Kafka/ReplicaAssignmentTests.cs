using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Manual replica assignments in CreateTopics and CreatePartitions on one broker (id 1): honoured when each partition
/// names registered brokers, the live one among them, refused otherwise with Kafka's error and message. Broker 7 has
/// joined the cluster once (it is registered) and is not live, as a broker that died is: a replica on it is out of
/// sync from the start, as Kafka leaves a fenced broker out of a new partition's ISR.
/// </summary>
public sealed class ReplicaAssignmentTests(BrokerFixture broker) : IClassFixture<BrokerFixture>, IAsyncLifetime
{
    private const int DeadBroker = 7;

    public async Task InitializeAsync() =>
        await broker.Grains.GetGrain<IBrokerRegistryGrain>(0).RegisterAsync(new BrokerEndpoint(DeadBroker, "localhost", 1));

    public Task DisposeAsync() => Task.CompletedTask;

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private static TopicSpecification Assigned(string name, params int[][] replicas) => new()
    {
        Name = name,
        NumPartitions = replicas.Length,
        ReplicationFactor = -1,
        ReplicasAssignments = replicas.Select((brokers, partition) => (partition, brokers.ToList())).ToDictionary(p => p.partition, p => p.Item2),
    };

    private static List<int> Leaders(IAdminClient admin, string topic) =>
        admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.OrderBy(p => p.PartitionId).Select(p => p.Leader).ToList();

    [Fact]
    public async Task CreateTopics_WithAnAssignmentToTheLiveBroker_CreatesEachPartitionThere()
    {
        using var admin = Admin();

        await admin.CreateTopicsAsync([Assigned("assigned", [1], [1], [1])]);

        Assert.Equal([1, 1, 1], Leaders(admin, "assigned"));
        var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["assigned"]));
        Assert.All(Assert.Single(described.TopicDescriptions).Partitions, p => Assert.Equal([1], p.Replicas.Select(r => r.Id)));
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var delivered = await producer.ProduceAsync(new TopicPartition("assigned", 2), new Message<Null, string> { Value = "v" });
        Assert.Equal(0, delivered.Offset.Value);
    }

    [Theory]
    [InlineData(new[] { 5 }, "The manual partition assignment includes broker 5, but no such broker is registered.")]
    [InlineData(new[] { DeadBroker }, "All brokers specified in the manual partition assignment for partition 0 are fenced or in controlled shutdown.")]
    [InlineData(new[] { 1, 1 }, "The manual partition assignment includes the broker 1 more than once.")]
    [InlineData(new[] { 1, 5 }, "The manual partition assignment includes broker 5, but no such broker is registered.")]
    [InlineData(new int[0], "The manual partition assignment includes an empty replica list.")]
    public async Task CreateTopics_WithAnAssignmentKafkaOrThisBrokerRefuses_IsInvalidReplicaAssignment(int[] replicas, string message)
    {
        using var admin = Admin();
        var name = $"refused-{string.Join("-", replicas)}";

        var refused = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([Assigned(name, replicas)]));

        var result = Assert.Single(refused.Results);
        Assert.Equal((ErrorCode.InvalidReplicaAssignment, message), (result.Error.Code, result.Error.Reason));
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic == name);
    }

    [Fact]
    public async Task CreateTopics_WithReplicasOnTheLiveAndADeadBroker_HasOnlyTheLiveOneInSync_LeadingAndServing()
    {
        using var admin = Admin();

        await admin.CreateTopicsAsync([Assigned("two-replicas", [DeadBroker, 1], [1, DeadBroker])]);

        var partitions = Assert.Single((await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["two-replicas"]))).TopicDescriptions).Partitions;
        Assert.Equal([DeadBroker, 1], partitions[0].Replicas.Select(r => r.Id));
        Assert.Equal([1, DeadBroker], partitions[1].Replicas.Select(r => r.Id));
        Assert.All(partitions, p => Assert.Equal([1], p.ISR.Select(r => r.Id)));
        Assert.Equal([1, 1], Leaders(admin, "two-replicas"));
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, Acks = Acks.All }).Build();
        var delivered = await producer.ProduceAsync(new TopicPartition("two-replicas", 0), new Message<Null, string> { Value = "v" });
        Assert.Equal(0, delivered.Offset.Value);
    }

    [Fact]
    public async Task CreateTopics_WithReplicaCountsThatDiffer_IsInvalidReplicaAssignment()
    {
        using var admin = Admin();

        var refused = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([Assigned("uneven", [1, DeadBroker], [1])]));

        Assert.Equal(
            (ErrorCode.InvalidReplicaAssignment, "The manual partition assignment includes a partition with 1 replica(s), but this is not consistent with previous partitions, which have 2 replica(s)."),
            (Assert.Single(refused.Results).Error.Code, Assert.Single(refused.Results).Error.Reason));
    }

    [Fact]
    public void CreateTopics_WithAnAssignmentAndAPartitionCount_OrWithGaps_IsRefusedAsKafkaRefusesIt()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        CreateTopicsRequest.CreatableTopic Topic(string name, int partitions, short replication, params int[] indexes) => new()
        {
            Name = name,
            NumPartitions = partitions,
            ReplicationFactor = replication,
            Assignments = indexes.Select(i => new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = i, BrokerIds = [1] }).ToList(),
        };

        var response = client.Call<CreateTopicsResponse>(ApiKey.CreateTopics, 7, new CreateTopicsRequest
        {
            timeoutMs = 5000,
            Topics =
            [
                Topic("raw-count", 2, -1, 0, 1),
                Topic("raw-factor", -1, 1, 0),
                Topic("raw-gap", -1, -1, 0, 2),
                Topic("raw-twice", -1, -1, 0, 0),
            ],
        });

        Assert.Equal(
        [
            ("raw-count", (short)KafkaError.InvalidRequest, "A manual partition assignment was specified, but numPartitions was not set to -1."),
            ("raw-factor", (short)KafkaError.InvalidRequest, "A manual partition assignment was specified, but replication factor was not set to -1."),
            ("raw-gap", (short)KafkaError.InvalidReplicaAssignment, "partitions should be a consecutive 0-based integer sequence"),
            ("raw-twice", (short)KafkaError.InvalidReplicaAssignment, "Found multiple manual partition assignments for partition 0"),
        ], response.Topics.Select(t => (t.Name, t.ErrorCode, t.ErrorMessage)));
    }

    [Fact]
    public async Task CreatePartitions_WithAnAssignmentToTheLiveBroker_AddsThePartitionsThere()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "grown", NumPartitions = 1, ReplicationFactor = 1 }]);

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "grown", IncreaseTo = 3, ReplicaAssignments = [[1], [1]] }]);

        Assert.Equal([1, 1, 1], Leaders(admin, "grown"));
    }

    [Fact]
    public async Task CreatePartitions_OfATopicWithTwoReplicas_TakesTwoAssigned_AndCannotPlaceTwoOnOneLiveBroker()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([Assigned("grown-two", [1, DeadBroker])]);

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "grown-two", IncreaseTo = 2, ReplicaAssignments = [[DeadBroker, 1]] }]);
        var single = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "grown-two", IncreaseTo = 3, ReplicaAssignments = [[1]] }]));
        var placed = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "grown-two", IncreaseTo = 3 }]));

        Assert.Equal([1, 1], Leaders(admin, "grown-two"));
        Assert.Equal(
            (ErrorCode.InvalidReplicaAssignment, "The manual partition assignment includes a partition with 1 replica(s), but this is not consistent with previous partitions, which have 2 replica(s)."),
            (Assert.Single(single.Results).Error.Code, Assert.Single(single.Results).Error.Reason));
        Assert.Equal(
            (ErrorCode.InvalidReplicationFactor, "Unable to replicate the partition 2 time(s): The target replication factor of 2 cannot be reached because only 1 broker(s) are registered."),
            (Assert.Single(placed.Results).Error.Code, Assert.Single(placed.Results).Error.Reason));
    }

    [Theory]
    [InlineData(3, new[] { 1 }, "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.")]
    [InlineData(2, new[] { 5 }, "The manual partition assignment includes broker 5, but no such broker is registered.")]
    [InlineData(2, new[] { DeadBroker }, "All brokers specified in the manual partition assignment for partition 1 are fenced or in controlled shutdown.")]
    [InlineData(2, new[] { 1, DeadBroker }, "The manual partition assignment includes a partition with 2 replica(s), but this is not consistent with previous partitions, which have 1 replica(s).")]
    public async Task CreatePartitions_WithAnAssignmentKafkaRefuses_IsInvalidReplicaAssignment(int increaseTo, int[] replicas, string message)
    {
        using var admin = Admin();
        var name = $"not-grown-{increaseTo}-{string.Join("-", replicas)}";
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = 1, ReplicationFactor = 1 }]);

        var refused = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = name, IncreaseTo = increaseTo, ReplicaAssignments = [replicas.ToList()] }]));

        var result = Assert.Single(refused.Results);
        Assert.Equal((ErrorCode.InvalidReplicaAssignment, message), (result.Error.Code, result.Error.Reason));
        Assert.Single(Leaders(admin, name));
    }
}
