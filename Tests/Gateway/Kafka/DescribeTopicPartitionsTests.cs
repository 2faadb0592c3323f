using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// DescribeTopicPartitions (KIP-966), as Kafka 3.9 answers it: topics in name order, at most the response partition
/// limit of partitions per response, and a cursor where the next response starts. Confluent.Kafka does not send it
/// (the Java admin client does), so it is driven over raw frames. The topics are this class's own broker's.
/// </summary>
public sealed class DescribeTopicPartitionsTests(BrokerFixture broker) : IClassFixture<BrokerFixture>, IAsyncLifetime
{
    /// <summary>READ (3), WRITE (4), CREATE (5), DELETE (6), ALTER (7), DESCRIBE (8), DESCRIBE_CONFIGS (10), ALTER_CONFIGS (11).</summary>
    private const int AllTopicOperations = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11);

    public async Task InitializeAsync()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        try
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "dtp-a", NumPartitions = 3, ReplicationFactor = 1 },
                new TopicSpecification { Name = "dtp-b", NumPartitions = 2, ReplicationFactor = 1 },
                new TopicSpecification { Name = "dtp-c", NumPartitions = 1, ReplicationFactor = 1 },
            ]);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private DescribeTopicPartitionsResponse Describe(int limit, string[] topics, string? cursorTopic = null, int cursorPartition = 0)
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        return client.Call<DescribeTopicPartitionsResponse>(ApiKey.DescribeTopicPartitions, 0, new DescribeTopicPartitionsRequest
        {
            Topics = topics.Select(t => new DescribeTopicPartitionsRequest.TopicRequest { Name = t }).ToList(),
            ResponsePartitionLimit = limit,
            Cursor = cursorTopic is null ? null : new() { TopicName = cursorTopic, PartitionIndex = cursorPartition },
        });
    }

    private static string Page(DescribeTopicPartitionsResponse response) =>
        string.Join(" ", response.Topics.Select(t => $"{t.Name}[{string.Join(",", t.Partitions.Select(p => p.PartitionIndex))}]"))
        + (response.NextCursor is { } next ? $" -> {next.TopicName}:{next.PartitionIndex}" : "");

    [Fact]
    public void NamedTopics_ArePagedInNameOrder_ByTheResponsePartitionLimit_FollowingEachCursor()
    {
        string[] topics = ["dtp-c", "dtp-a", "dtp-b"];

        var first = Describe(2, topics);
        var second = Describe(2, topics, first.NextCursor!.TopicName, first.NextCursor.PartitionIndex);
        var third = Describe(2, topics, second.NextCursor!.TopicName, second.NextCursor.PartitionIndex);

        Assert.Equal("dtp-a[0,1] -> dtp-a:2", Page(first));
        Assert.Equal("dtp-a[2] dtp-b[0] -> dtp-b:1", Page(second));
        Assert.Equal("dtp-b[1] dtp-c[0]", Page(third));
    }

    [Fact]
    public void AResponseFilledExactlyByATopic_PointsItsCursorAtTheNextTopicsFirstPartition()
    {
        Assert.Equal("dtp-a[0,1,2] -> dtp-b:0", Page(Describe(3, ["dtp-a", "dtp-b"])));
    }

    [Fact]
    public void AllTopics_AreDescribedWhenNoneIsNamed_FromTheCursorOn()
    {
        Assert.Equal("dtp-a[0,1,2] dtp-b[0,1] dtp-c[0]", Page(Describe(2000, [])));
        Assert.Equal("dtp-b[1] dtp-c[0]", Page(Describe(2000, [], "dtp-b", 1)));
    }

    [Fact]
    public void TheLimit_IsAtLeastOne_AndAtMostTheBrokers()
    {
        Assert.Equal("dtp-a[0] -> dtp-a:1", Page(Describe(0, ["dtp-a"])));
        Assert.Equal("dtp-a[0,1,2]", Page(Describe(int.MaxValue, ["dtp-a"])));
    }

    [Fact]
    public void EachPartition_NamesItsLeaderReplicasAndIsr_AndEachTopicItsIdAndAuthorizedOperations()
    {
        var response = Describe(2000, ["dtp-b"]);

        var topic = Assert.Single(response.Topics);
        Assert.Equal((0, false, AllTopicOperations), (topic.ErrorCode, topic.IsInternal, topic.TopicAuthorizedOperations));
        Assert.NotEqual(Guid.Empty, topic.TopicId);
        Assert.All(topic.Partitions, p =>
        {
            Assert.Equal((0, 1, 0), (p.ErrorCode, p.LeaderId, p.LeaderEpoch));
            Assert.Equal([1], p.ReplicaNodes);
            Assert.Equal([1], p.IsrNodes);
            Assert.Empty(p.OfflineReplicas);
            Assert.Empty(p.EligibleLeaderReplicas!);
        });
    }

    [Fact]
    public void ANamedTopicThatDoesNotExist_IsUnknownTopicOrPartition_InItsPlaceInNameOrder()
    {
        var response = Describe(2000, ["dtp-c", "dtp-bb"]);

        Assert.Equal(
            [("dtp-bb", (short)KafkaError.UnknownTopicOrPartition, 0), ("dtp-c", (short)0, 1)],
            response.Topics.Select(t => (t.Name, t.ErrorCode, t.Partitions.Count)));
        Assert.Equal(AllTopicOperations, response.Topics[0].TopicAuthorizedOperations);
    }

    [Fact]
    public void ACursorOutsideTheNamedTopics_OrWithANegativePartition_FailsEveryTopicWithInvalidRequest()
    {
        var outside = Describe(2000, ["dtp-a", "dtp-b"], "dtp-c", 0);
        var negative = Describe(2000, ["dtp-a"], "dtp-a", -1);

        Assert.Equal([("dtp-a", (short)KafkaError.InvalidRequest), ("dtp-b", (short)KafkaError.InvalidRequest)], outside.Topics.Select(t => (t.Name!, t.ErrorCode)));
        Assert.All(outside.Topics.Concat(negative.Topics), t => Assert.Empty(t.Partitions));
        Assert.Equal((short)KafkaError.InvalidRequest, Assert.Single(negative.Topics).ErrorCode);
    }
}
