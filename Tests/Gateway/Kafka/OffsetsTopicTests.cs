using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.OffsetsTopic;
using Tributary.Grains.KafkaFormats.Messages;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// <c>__consumer_offsets</c> as Kafka has it: the internal topic of 50 partitions that holds every group's committed
/// offsets and metadata as Kafka's records, each group in the partition Kafka's hash of its id picks.
/// </summary>
public sealed class OffsetsTopicTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private static IConsumer<string, string> AssignedConsumer(string bootstrap, string group) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false }).Build();

    [Fact]
    public async Task Metadata_ListsConsumerOffsets_AsTheInternalTopic_OfFiftyPartitions()
    {
        // As in Kafka, the topic exists once a group has been used; a group of this test's own makes sure of that
        // whichever of the class's tests runs first.
        await broker.CreateAsync("ot-listed", 1);
        using (var consumer = AssignedConsumer(broker.BootstrapServers, "ot-lister"))
        {
            consumer.Commit([new TopicPartitionOffset("ot-listed", 0, 1)]);
        }

        using var admin = Admin();

        var described = await DescribedOnceCreatedAsync(admin, InternalTopics.ConsumerOffsets);
        var metadata = admin.GetMetadata(InternalTopics.ConsumerOffsets, Timeout).Topics.Single();

        Assert.Equal(ErrorCode.NoError, metadata.Error.Code);
        Assert.Equal(50, metadata.Partitions.Count);
        Assert.True(described.IsInternal);
        var configs = (await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = InternalTopics.ConsumerOffsets }]))
            .Single().Entries;
        Assert.Equal("compact", configs["cleanup.policy"].Value);
    }

    /// <summary>The topic's description once it exists: the group's records reach the topic (and create it) just after the commit is answered.</summary>
    private static async Task<TopicDescription> DescribedOnceCreatedAsync(IAdminClient admin, string topic)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return (await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames([topic]),
                    new DescribeTopicsOptions { RequestTimeout = Timeout })).TopicDescriptions.Single();
            }
            catch (DescribeTopicsException e) when (e.Results.TopicDescriptions.Single().Error.Code == ErrorCode.UnknownTopicOrPart && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task AnOrdinaryTopicWhoseNameStartsWithUnderscores_IsNotInternal()
    {
        await broker.CreateAsync("__not-internal", 1);
        using var admin = Admin();

        var described = (await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["__not-internal"]),
            new DescribeTopicsOptions { RequestTimeout = Timeout })).TopicDescriptions.Single();

        Assert.False(described.IsInternal);
    }

    [Fact]
    public async Task Clients_CannotProduceToConsumerOffsets_OrDeleteItsRecords()
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, MessageTimeoutMs = 10_000 }).Build();
        using var admin = Admin();
        admin.GetMetadata(InternalTopics.ConsumerOffsets, Timeout);

        var produce = await Assert.ThrowsAsync<ProduceException<byte[], byte[]>>(() => producer.ProduceAsync(
            new TopicPartition(InternalTopics.ConsumerOffsets, 0),
            new Message<byte[], byte[]> { Key = new GroupMetadataKey("forged").Serialize(), Value = [] }));
        var delete = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync(
            [new TopicPartitionOffset(InternalTopics.ConsumerOffsets, 0, Offset.End)], new DeleteRecordsOptions { RequestTimeout = Timeout }));

        Assert.Equal(ErrorCode.TopicException, produce.Error.Code);
        Assert.Equal(ErrorCode.TopicException, delete.Results.Single().Error.Code);
    }

    [Fact]
    public async Task CommittedOffsets_AreOffsetCommitRecords_InTheGroupsPartition_InCommitOrder()
    {
        await broker.FillAsync("ot-commits", 5, 5);
        using (var consumer = AssignedConsumer(broker.BootstrapServers, "ot-committer"))
        {
            consumer.Commit([new TopicPartitionOffset("ot-commits", 0, 3), new TopicPartitionOffset("ot-commits", 1, 4)]);
            consumer.Commit([new TopicPartitionOffset("ot-commits", 0, 5, leaderEpoch: 0)]);
        }

        var records = await OffsetsTopicReader.ReadUntilAsync(broker.BootstrapServers, "ot-committer",
            r => r.Count(c => c.Key is OffsetCommitKey { Group: "ot-committer" }) == 3, "the three commits");
        var commits = records
            .Where(r => r.Key is OffsetCommitKey { Group: "ot-committer" })
            .Select(r => (Key: (OffsetCommitKey)r.Key, Value: OffsetCommitValue.Deserialize(r.Value!)))
            .ToList();

        Assert.Equal(
            [("ot-commits", 0, 3L), ("ot-commits", 1, 4L), ("ot-commits", 0, 5L)],
            commits.Select(c => (c.Key.Topic, c.Key.Partition, c.Value.Offset)));
        Assert.Equal(0, commits[2].Value.LeaderEpoch);
        Assert.All(commits, c => Assert.InRange(c.Value.CommitTimestamp, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task AStableGroup_IsAGroupMetadataRecord_WithItsProtocolMembersAndAssignments()
    {
        await broker.FillAsync("ot-members", 2, 2);
        using (var member = new GroupConsumer(broker.BootstrapServers, "ot-group", "ot-members", c => c.ClientId = "ot-client"))
        {
            await Wait.UntilAsync(() => member.Assigned.Count == 2, TimeSpan.FromSeconds(30), "the partitions assigned");
            var records = await OffsetsTopicReader.ReadUntilAsync(broker.BootstrapServers, "ot-group",
                r => r.Any(c => c.Key == new GroupMetadataKey("ot-group")), "the group's metadata");

            var value = GroupMetadataValue.Deserialize(OffsetsTopicReader.Latest(records)[new GroupMetadataKey("ot-group")]!);

            Assert.Equal(("consumer", "range", member.MemberId), (value.ProtocolType, value.Protocol, value.Leader));
            Assert.True(value.Generation >= 1);
            var stored = Assert.Single(value.Members);
            Assert.Equal((member.MemberId, "ot-client"), (stored.MemberId, stored.ClientId));
            Assert.Equal([("ot-members", 0), ("ot-members", 1)], ConsumerProtocol.DecodeAssignment(stored.Assignment).Order());
            Assert.Equal(["ot-members"], ConsumerProtocol.DecodeSubscriptionTopics(stored.Subscription));
        }
    }

    [Fact]
    public async Task DeletedOffsetsAndGroups_LeaveTombstones()
    {
        await broker.FillAsync("ot-deleted", 3, 3);
        using (var consumer = AssignedConsumer(broker.BootstrapServers, "ot-deleter"))
        {
            consumer.Commit([new TopicPartitionOffset("ot-deleted", 0, 1), new TopicPartitionOffset("ot-deleted", 1, 2)]);
        }

        using var admin = Admin();
        await admin.DeleteConsumerGroupOffsetsAsync("ot-deleter", [new TopicPartition("ot-deleted", 0)],
            new DeleteConsumerGroupOffsetsOptions { RequestTimeout = Timeout });
        var afterOffsetDelete = OffsetsTopicReader.Latest(await OffsetsTopicReader.ReadUntilAsync(broker.BootstrapServers, "ot-deleter",
            r => r.Any(c => c.Key == new OffsetCommitKey("ot-deleter", "ot-deleted", 0) && c.Value is null), "the deleted offset's tombstone"));
        await admin.DeleteGroupsAsync(["ot-deleter"], new DeleteGroupsOptions { RequestTimeout = Timeout });
        var afterGroupDelete = OffsetsTopicReader.Latest(await OffsetsTopicReader.ReadUntilAsync(broker.BootstrapServers, "ot-deleter",
            r => r.Any(c => c.Key == new GroupMetadataKey("ot-deleter") && c.Value is null), "the deleted group's tombstone"));

        Assert.Null(afterOffsetDelete[new OffsetCommitKey("ot-deleter", "ot-deleted", 0)]);
        Assert.Equal(2, OffsetCommitValue.Deserialize(afterOffsetDelete[new OffsetCommitKey("ot-deleter", "ot-deleted", 1)]!).Offset);
        Assert.Null(afterGroupDelete[new OffsetCommitKey("ot-deleter", "ot-deleted", 1)]);
        Assert.Null(afterGroupDelete[new GroupMetadataKey("ot-deleter")]);
    }
}
