using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

public sealed class AdminTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private IProducer<Null, byte[]> Producer() =>
        new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 0, MessageTimeoutMs = 10_000 }).Build();

    [Fact]
    public async Task CreateTopics_WithConfigs_ThenDescribeTopicsAndConfigs()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = "admin-created",
            NumPartitions = 4,
            ReplicationFactor = 1,
            Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000", ["cleanup.policy"] = "delete" },
        }]);

        var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["admin-created"]));
        Assert.Equal(4, Assert.Single(described.TopicDescriptions).Partitions.Count);

        var configs = Assert.Single(await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "admin-created" }]));
        Assert.Equal("3600000", configs.Entries["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, configs.Entries["retention.ms"].Source);
        Assert.False(configs.Entries["retention.ms"].IsDefault);
        Assert.Equal("1073741824", configs.Entries["segment.bytes"].Value);
        Assert.True(configs.Entries["segment.bytes"].IsDefault);
        Assert.Equal("1048588", configs.Entries["max.message.bytes"].Value);
    }

    [Fact]
    public async Task CreateTopics_RefusesWhatKafkaRefuses_AndValidateOnlyCreatesNothing()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-existing", NumPartitions = 1, ReplicationFactor = 1 }]);

        var errors = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "admin-existing", NumPartitions = 1, ReplicationFactor = 1 },
            new TopicSpecification { Name = "admin-badconfig", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "later" } },
            new TopicSpecification { Name = "admin-unknownconfig", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["no.such"] = "1" } },
            new TopicSpecification { Name = "admin-zero", NumPartitions = 0, ReplicationFactor = 1 },
            new TopicSpecification { Name = "admin-rf3", NumPartitions = 1, ReplicationFactor = 3 },
            new TopicSpecification { Name = "admin-rf2", NumPartitions = 2, ReplicationFactor = 2 },
        ]));
        Assert.Equal(
            [ErrorCode.TopicAlreadyExists, ErrorCode.InvalidConfig, ErrorCode.InvalidConfig, ErrorCode.InvalidPartitions, ErrorCode.InvalidReplicationFactor, ErrorCode.InvalidReplicationFactor],
            errors.Results.Select(r => r.Error.Code));
        Assert.Equal(
            "Unable to replicate the partition 2 time(s): The target replication factor of 2 cannot be reached because only 1 broker(s) are registered.",
            errors.Results.Single(r => r.Topic == "admin-rf2").Error.Reason);

        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-dryrun", NumPartitions = 2, ReplicationFactor = 1 }],
            new CreateTopicsOptions { ValidateOnly = true });
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(metadata.Topics, t => t.Topic == "admin-dryrun");
    }

    [Fact]
    public async Task AlterConfigs_ChangeWhatTheLogEnforces_MaxMessageBytesIncluded()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-limits", NumPartitions = 1, ReplicationFactor = 1 }]);
        var resource = new ConfigResource { Type = ResourceType.Topic, Name = "admin-limits" };

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] = [new ConfigEntry { Name = "max.message.bytes", Value = "10000", IncrementalOperation = AlterConfigOpType.Set }],
        });

        var entries = Assert.Single(await admin.DescribeConfigsAsync([resource])).Entries;
        Assert.Equal("10000", entries["max.message.bytes"].Value);
        using var producer = Producer();
        var fits = ValueSizeForBatchOf(10_000);
        var delivered = await producer.ProduceAsync("admin-limits", new Message<Null, byte[]> { Value = new byte[fits] });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        var tooLarge = await Assert.ThrowsAsync<ProduceException<Null, byte[]>>(() =>
            producer.ProduceAsync("admin-limits", new Message<Null, byte[]> { Value = new byte[fits + 1] }));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, tooLarge.Error.Code);

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] = [new ConfigEntry { Name = "max.message.bytes", IncrementalOperation = AlterConfigOpType.Delete }],
        });
        Assert.True(Assert.Single(await admin.DescribeConfigsAsync([resource])).Entries["max.message.bytes"].IsDefault);
        await producer.ProduceAsync("admin-limits", new Message<Null, byte[]> { Value = new byte[fits + 1] });
    }

    [Fact]
    public async Task AlterConfigs_ReplacesTheTopicsConfigs_AndRefusesInvalidValues()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-alter", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "1000" } }]);
        var resource = new ConfigResource { Type = ResourceType.Topic, Name = "admin-alter" };

#pragma warning disable CS0618 // AlterConfigs is deprecated in favour of IncrementalAlterConfigs, and still sent by clients.
        await admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>> { [resource] = [new ConfigEntry { Name = "segment.ms", Value = "60000" }] });
        var invalid = await Assert.ThrowsAsync<AlterConfigsException>(() => admin.AlterConfigsAsync(
            new Dictionary<ConfigResource, List<ConfigEntry>> { [resource] = [new ConfigEntry { Name = "segment.ms", Value = "0" }] }));
#pragma warning restore CS0618

        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(invalid.Results).Error.Code);
        var entries = Assert.Single(await admin.DescribeConfigsAsync([resource])).Entries;
        Assert.Equal("60000", entries["segment.ms"].Value);
        Assert.True(entries["retention.ms"].IsDefault);
    }

    [Fact]
    public async Task CreatePartitions_GrowsATopic_AndTheNewPartitionsTakeRecords()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-grow", NumPartitions = 2, ReplicationFactor = 1 }]);

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "admin-grow", IncreaseTo = 5 }]);
        var shrink = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "admin-grow", IncreaseTo = 3 }]));

        Assert.Equal(ErrorCode.InvalidPartitions, Assert.Single(shrink.Results).Error.Code);
        using var producer = Producer();
        var delivered = await producer.ProduceAsync(new TopicPartition("admin-grow", 4), new Message<Null, byte[]> { Value = [1, 2, 3] });
        Assert.Equal(0, delivered.Offset.Value);
    }

    [Fact]
    public async Task DeleteRecords_MovesTheLowWatermark()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-trim", NumPartitions = 1, ReplicationFactor = 1 }]);
        using (var producer = Producer())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync("admin-trim", new Message<Null, byte[]> { Value = [(byte)i] });
            }
        }

        var deleted = await admin.DeleteRecordsAsync([new TopicPartitionOffset("admin-trim", 0, 6)]);

        Assert.Equal(6, Assert.Single(deleted).Offset.Value);
        var earliest = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new("admin-trim", 0), OffsetSpec = OffsetSpec.Earliest() }]);
        Assert.Equal(6, Assert.Single(earliest.ResultInfos).TopicPartitionOffsetError.Offset.Value);
    }

    [Fact]
    public async Task ListOffsets_AnswersEarliestLatestMaxTimestampAndByTime()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-times", NumPartitions = 1, ReplicationFactor = 1 }]);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        using (var producer = Producer())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync("admin-times", new Message<Null, byte[]>
                {
                    Value = [(byte)i],
                    Timestamp = new Timestamp(start + (i == 7 ? 50_000 : i * 1000), Confluent.Kafka.TimestampType.CreateTime),
                });
            }
        }

        async Task<(long Offset, long? Timestamp)> List(OffsetSpec spec)
        {
            var result = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new("admin-times", 0), OffsetSpec = spec }]);
            var info = Assert.Single(result.ResultInfos);
            return (info.TopicPartitionOffsetError.Offset.Value, info.Timestamp);
        }

        Assert.Equal(0, (await List(OffsetSpec.Earliest())).Offset);
        Assert.Equal(10, (await List(OffsetSpec.Latest())).Offset);
        Assert.Equal(4, (await List(OffsetSpec.ForTimestamp(start + 3500))).Offset);
        Assert.Equal((7L, start + 50_000), await List(OffsetSpec.MaxTimestamp()));
    }

    [Fact]
    public async Task DeleteTopics_RemovesTheTopicAtOnce_AndItsDataFromDiskInTheBackground()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-doomed", NumPartitions = 2, ReplicationFactor = 1 }]);
        using (var producer = Producer())
        {
            await producer.ProduceAsync(new TopicPartition("admin-doomed", 1), new Message<Null, byte[]> { Value = [9] });
        }

        Assert.True(Directory.Exists(Path.Combine(broker.DataDirectory, "admin-doomed-1")));

        await admin.DeleteTopicsAsync(["admin-doomed"]);

        // Gone at once; its data follows in the background.
        var again = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["admin-doomed"]));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(again.Results).Error.Code);
        await Wait.UntilAsync(
            () => !Directory.Exists(Path.Combine(broker.DataDirectory, "admin-doomed-0")) && !Directory.Exists(Path.Combine(broker.DataDirectory, "admin-doomed-1")),
            TimeSpan.FromSeconds(10), "the deleted topic's directories to be removed");
        await Wait.UntilAsync(async () =>
        {
            try
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-doomed", NumPartitions = 1, ReplicationFactor = 1 }]);
                return true;
            }
            catch (CreateTopicsException e) when (e.Results[0].Error.Reason.Contains("marked for deletion", StringComparison.Ordinal))
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "the name to be free again");
        using var consumer = new ConsumerBuilder<Null, byte[]>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "x", EnablePartitionEof = true }).Build();
        consumer.Assign(new TopicPartitionOffset("admin-doomed", 0, Offset.Beginning));
        Assert.True(consumer.Consume(TimeSpan.FromSeconds(10))!.IsPartitionEOF);
    }

    [Fact]
    public async Task DescribeCluster_NamesTheClusterControllerAndBroker()
    {
        using var admin = Admin();

        var cluster = await admin.DescribeClusterAsync();

        Assert.False(string.IsNullOrEmpty(cluster.ClusterId));
        Assert.Equal(1, cluster.Controller.Id);
        Assert.Equal(broker.KafkaPort, Assert.Single(cluster.Nodes).Port);
    }

    /// <summary>The value length that makes a one-record batch (no key, no headers) exactly <paramref name="batchBytes"/> long.</summary>
    private static int ValueSizeForBatchOf(int batchBytes)
    {
        for (var value = 0; ; value++)
        {
            var record = 1 + 1 + 1 + Varint.SizeOfInt(-1) + Varint.SizeOfInt(value) + value + 1;
            var size = RecordBatch.HeaderSize + Varint.SizeOfInt(record) + record;
            if (size == batchBytes)
            {
                return value;
            }

            Assert.True(size < batchBytes, "no value length gives that batch size exactly");
        }
    }
}
