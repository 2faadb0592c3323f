using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Orleans;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Kafka's broker configs through Confluent.Kafka's AdminClient: a broker describes Kafka's configs with their sources
/// and synonyms, and the dynamic ones change at runtime, for this broker or as the cluster default, and stay changed.
/// Each test puts back what it changed.
/// </summary>
public sealed class BrokerConfigTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static readonly ConfigResource ThisBroker = new() { Type = ResourceType.Broker, Name = "1" };

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private static async Task SetAsync(IAdminClient admin, ConfigResource resource, string name, string? value, AlterConfigOpType operation = AlterConfigOpType.Set) =>
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] = [new ConfigEntry { Name = name, Value = value, IncrementalOperation = operation }],
        });

    private static async Task<Dictionary<string, ConfigEntryResult>> DescribeAsync(IAdminClient admin, ConfigResource resource) =>
        Assert.Single(await admin.DescribeConfigsAsync([resource])).Entries;

    [Fact]
    public async Task ABroker_DescribesKafkasConfigs_WithValuesSourcesAndSynonyms()
    {
        using var admin = Admin();

        var entries = await DescribeAsync(admin, ThisBroker);

        Assert.True(entries.Count > 100, $"{entries.Count} configs");
        foreach (var name in new[]
        {
            "num.network.threads", "num.io.threads", "log.dirs", "log.retention.ms", "log.segment.bytes", "default.replication.factor",
            "message.max.bytes", "group.initial.rebalance.delay.ms", "offsets.retention.minutes", "transaction.max.timeout.ms",
            "log.cleaner.threads", "log.cleaner.min.cleanable.ratio",
        })
        {
            Assert.Contains(name, entries.Keys);
        }

        Assert.Equal(("104857600", ConfigSource.StaticBrokerConfig, true), Of(entries["socket.request.max.bytes"]));
        Assert.Equal((broker.DataDirectory, ConfigSource.StaticBrokerConfig, true), Of(entries["log.dirs"]));
        Assert.Equal(("0", ConfigSource.StaticBrokerConfig, true), Of(entries["group.initial.rebalance.delay.ms"]));
        Assert.Equal(("1", ConfigSource.StaticBrokerConfig, false), Of(entries["num.partitions"]));
        Assert.Equal(("8", ConfigSource.DefaultConfig, true), Of(entries["num.io.threads"]));
        Assert.Equal(("168", ConfigSource.DefaultConfig, true), Of(entries["log.retention.hours"]));
        Assert.Equal((null, ConfigSource.DefaultConfig, false), Of(entries["log.retention.ms"]));
        Assert.Equal(("1073741824", ConfigSource.DefaultConfig, false), Of(entries["log.segment.bytes"]));
        Assert.Equal(
            [("num.partitions", "1", ConfigSource.StaticBrokerConfig), ("num.partitions", "1", ConfigSource.DefaultConfig)],
            entries["num.partitions"].Synonyms.Select(s => (s.Name, s.Value, s.Source)));
        Assert.True(entries["ssl.keystore.password"].IsSensitive);
    }

    [Fact]
    public void ABroker_GivesKafkasTypesAndDocumentation_WhenAsked()
    {
        var described = broker.Describe(RawConfigs.Broker, "1", "log.retention.ms", "log.cleanup.policy", "auto.create.topics.enable", "log.cleaner.min.cleanable.ratio");

        Assert.Equal(
            [("auto.create.topics.enable", (sbyte)1), ("log.cleaner.min.cleanable.ratio", (sbyte)6), ("log.cleanup.policy", (sbyte)7), ("log.retention.ms", (sbyte)5)],
            described.Configs.Select(c => (c.Name, c.ConfigType)).OrderBy(c => c.Name, StringComparer.Ordinal));
        Assert.All(described.Configs, c => Assert.False(string.IsNullOrEmpty(c.Documentation)));
    }

    [Fact]
    public async Task ADynamicDefaultRetention_ShowsOnATopicWithoutItsOwn_AndItsLogDeletesByIt()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "inherits-retention", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["segment.bytes"] = "1024" } }]);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 0 }).Build())
        {
            var twoHoursAgo = new Timestamp(DateTime.UtcNow.AddHours(-2));
            for (var i = 0; i < 3; i++)
            {
                await producer.ProduceAsync("inherits-retention", new Message<Null, string> { Value = new string('x', 500), Timestamp = twoHoursAgo });
            }
        }

        var partition = PartitionGrainKey.Get(broker.Grains, "inherits-retention", 0);
        Assert.Equal(0, await partition.EnforceRetentionAsync());

        broker.SetClusterDefault("log.retention.ms", "3600000");
        try
        {
            var topic = await DescribeAsync(admin, new ConfigResource { Type = ResourceType.Topic, Name = "inherits-retention" });
            Assert.Equal(("3600000", ConfigSource.DynamicDefaultBrokerConfig), (topic["retention.ms"].Value, topic["retention.ms"].Source));
            Assert.Equal(
                [("log.retention.ms", "3600000", ConfigSource.DynamicDefaultBrokerConfig), ("log.retention.hours", "168", ConfigSource.DefaultConfig)],
                topic["retention.ms"].Synonyms.Select(s => (s.Name, s.Value, s.Source)));
            Assert.Equal(ConfigSource.DynamicTopicConfig, topic["segment.bytes"].Source);

            var cluster = Assert.Single(broker.Describe(RawConfigs.Broker, "").Configs);
            Assert.Equal(("log.retention.ms", "3600000", (sbyte)ConfigSource.DynamicDefaultBrokerConfig, false), (cluster.Name, cluster.Value, cluster.ConfigSource, cluster.ReadOnly));
            var own = await DescribeAsync(admin, ThisBroker);
            Assert.Equal(("3600000", ConfigSource.DynamicDefaultBrokerConfig, false), Of(own["log.retention.ms"]));

            // Each batch filled a segment, and all three are past the inherited retention.
            Assert.Equal(3, await partition.EnforceRetentionAsync());
            Assert.Equal(3, (await partition.GetOffsetsAsync()).LogStartOffset);
        }
        finally
        {
            broker.DeleteClusterDefault("log.retention.ms");
        }

        var restored = await DescribeAsync(admin, new ConfigResource { Type = ResourceType.Topic, Name = "inherits-retention" });
        Assert.Equal(("604800000", ConfigSource.DefaultConfig), (restored["retention.ms"].Value, restored["retention.ms"].Source));
    }

    [Fact]
    public async Task NumPartitionsAndAutoCreateTopicsEnable_ChangeAutoCreationAtOnce()
    {
        using var admin = Admin();
        using var client = new RawKafkaClient(broker.KafkaPort);
        MetadataResponse.MetadataResponseTopic AskFor(string topic) => Assert.Single(client.Call<MetadataResponse>(
            ApiKey.Metadata, 12, new MetadataRequest { Topics = [new() { Name = topic }], AllowAutoTopicCreation = true }).Topics);

        await SetAsync(admin, ThisBroker, "num.partitions", "3");
        try
        {
            Assert.Equal(3, AskFor("auto-three").Partitions.Count);
            Assert.Equal(("3", ConfigSource.DynamicBrokerConfig), Value(await DescribeAsync(admin, ThisBroker), "num.partitions"));

            broker.SetClusterDefault("auto.create.topics.enable", "false");
            try
            {
                Assert.Equal((short)ErrorCode.UnknownTopicOrPart, AskFor("auto-refused").ErrorCode);
            }
            finally
            {
                broker.DeleteClusterDefault("auto.create.topics.enable");
            }

            Assert.Equal(3, AskFor("auto-again").Partitions.Count);
        }
        finally
        {
            await SetAsync(admin, ThisBroker, "num.partitions", null, AlterConfigOpType.Delete);
        }

        Assert.Single(AskFor("auto-one").Partitions);
    }

    [Fact]
    public async Task DefaultReplicationFactor_IsTheReplicationOfTopicsCreatedWithoutOne_AtOnce()
    {
        using var admin = Admin();
        TopicSpecification Unreplicated(string name) => new() { Name = name, NumPartitions = 1, ReplicationFactor = -1 };

        await SetAsync(admin, ThisBroker, "default.replication.factor", "2");
        try
        {
            // One broker cannot hold two replicas: refused, which shows the default was read.
            var refused = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([Unreplicated("rf-default-two")]));

            Assert.Equal(
                (ErrorCode.InvalidReplicationFactor, "Unable to replicate the partition 2 time(s): The target replication factor of 2 cannot be reached because only 1 broker(s) are registered."),
                (Assert.Single(refused.Results).Error.Code, Assert.Single(refused.Results).Error.Reason));
            Assert.Equal(("2", ConfigSource.DynamicBrokerConfig), Value(await DescribeAsync(admin, ThisBroker), "default.replication.factor"));
        }
        finally
        {
            await SetAsync(admin, ThisBroker, "default.replication.factor", null, AlterConfigOpType.Delete);
        }

        await admin.CreateTopicsAsync([Unreplicated("rf-default-one")]);
        var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["rf-default-one"]));
        Assert.Equal([1], Assert.Single(Assert.Single(described.TopicDescriptions).Partitions).Replicas.Select(r => r.Id));
    }

    [Fact]
    public async Task AReadOnlyConfig_IsRefusedWithKafkasError_ByBothAlterApis()
    {
        using var admin = Admin();

        var incremental = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() => SetAsync(admin, ThisBroker, "num.io.threads", "16"));
#pragma warning disable CS0618 // AlterConfigs is deprecated in favour of IncrementalAlterConfigs, and still sent by tools.
        var legacy = await Assert.ThrowsAsync<AlterConfigsException>(() => admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [ThisBroker] = [new ConfigEntry { Name = "log.retention.hours", Value = "1" }],
        }));
#pragma warning restore CS0618

        var refused = Assert.Single(incremental.Results).Error;
        Assert.Equal((ErrorCode.InvalidRequest, "Cannot update these configs dynamically: Set(num.io.threads)"), (refused.Code, refused.Reason));
        refused = Assert.Single(legacy.Results).Error;
        Assert.Equal((ErrorCode.InvalidRequest, "Cannot update these configs dynamically: Set(log.retention.hours)"), (refused.Code, refused.Reason));
        Assert.Equal(("8", ConfigSource.DefaultConfig), Value(await DescribeAsync(admin, ThisBroker), "num.io.threads"));
    }

    [Fact]
    public async Task InvalidValuesAndOtherBrokers_AreRefusedAsKafkaRefusesThem()
    {
        using var admin = Admin();

        var invalid = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() => SetAsync(admin, ThisBroker, "log.retention.ms", "soon"));

        var error = Assert.Single(invalid.Results).Error;
        Assert.Equal((ErrorCode.InvalidRequest, "Invalid value soon for configuration log.retention.ms: Not a number of type LONG"), (error.Code, error.Reason));
        Assert.Equal(((short)42, "Unexpected broker id, expected 1, but received 2"), broker.Alter(RawConfigs.Broker, "2", "num.partitions", "2"));
        Assert.Equal(((short)42, "Node id must be an integer, but it is: one"), broker.Alter(RawConfigs.Broker, "one", "num.partitions", "2"));
        Assert.Equal((short)42, broker.Describe(RawConfigs.Broker, "2").ErrorCode);
    }

    [Fact]
    public async Task Append_OnANonListConfig_GetsKafkasWording_AndOnAListConfigAppends()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "append-configs", NumPartitions = 1, ReplicationFactor = 1 }]);

        var onTopic = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() =>
            SetAsync(admin, new ConfigResource { Type = ResourceType.Topic, Name = "append-configs" }, "flush.ms", "1", AlterConfigOpType.Append));
        var onBroker = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() =>
            SetAsync(admin, ThisBroker, "log.flush.interval.ms", "1", AlterConfigOpType.Append));

        var error = Assert.Single(onTopic.Results).Error;
        Assert.Equal((ErrorCode.InvalidConfig, "Config value append is not allowed for config key: flush.ms"), (error.Code, error.Reason));
        error = Assert.Single(onBroker.Results).Error;
        Assert.Equal((ErrorCode.InvalidConfig, "Config value append is not allowed for config key: log.flush.interval.ms"), (error.Code, error.Reason));

        await SetAsync(admin, ThisBroker, "log.cleanup.policy", "compact", AlterConfigOpType.Append);
        try
        {
            Assert.Equal(("delete,compact", ConfigSource.DynamicBrokerConfig), Value(await DescribeAsync(admin, ThisBroker), "log.cleanup.policy"));
        }
        finally
        {
            await SetAsync(admin, ThisBroker, "log.cleanup.policy", null, AlterConfigOpType.Delete);
        }
    }

    [Fact]
    public async Task ValidateOnly_ChecksAChange_AndStoresNothing()
    {
        using var admin = Admin();

        await admin.IncrementalAlterConfigsAsync(
            new Dictionary<ConfigResource, List<ConfigEntry>> { [ThisBroker] = [new ConfigEntry { Name = "log.segment.bytes", Value = "1048576", IncrementalOperation = AlterConfigOpType.Set }] },
            new IncrementalAlterConfigsOptions { ValidateOnly = true });
        var invalid = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() => admin.IncrementalAlterConfigsAsync(
            new Dictionary<ConfigResource, List<ConfigEntry>> { [ThisBroker] = [new ConfigEntry { Name = "log.segment.bytes", Value = "10", IncrementalOperation = AlterConfigOpType.Set }] },
            new IncrementalAlterConfigsOptions { ValidateOnly = true }));

        Assert.Equal(("1073741824", ConfigSource.DefaultConfig), Value(await DescribeAsync(admin, ThisBroker), "log.segment.bytes"));
        Assert.Equal(
            "Invalid value 10 for configuration log.segment.bytes: Value must be at least 14",
            Assert.Single(invalid.Results).Error.Reason);
    }

    [Fact]
    public async Task DynamicConfigs_SurviveARestartOfTheBroker()
    {
        using (var admin = Admin())
        {
            await SetAsync(admin, ThisBroker, "log.retention.bytes", "123456789");
            broker.SetClusterDefault("log.cleaner.threads", "2");
        }

        await broker.StopAsync();
        await broker.StartAsync();

        using (var admin = Admin())
        {
            try
            {
                var entries = await DescribeAsync(admin, ThisBroker);
                Assert.Equal(("123456789", ConfigSource.DynamicBrokerConfig), Value(entries, "log.retention.bytes"));
                Assert.Equal(("2", ConfigSource.DynamicDefaultBrokerConfig), Value(entries, "log.cleaner.threads"));
            }
            finally
            {
                await SetAsync(admin, ThisBroker, "log.retention.bytes", null, AlterConfigOpType.Delete);
                broker.DeleteClusterDefault("log.cleaner.threads");
            }
        }
    }

    private static (string? Value, ConfigSource Source, bool ReadOnly) Of(ConfigEntryResult entry) => (entry.Value, entry.Source, entry.IsReadOnly);

    private static (string? Value, ConfigSource Source) Value(Dictionary<string, ConfigEntryResult> entries, string name) =>
        (entries[name].Value, entries[name].Source);
}
