using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Mirror;
using Tributary.Grains.Connect.Mirror.Topics;
using Tributary.Tests.Connect.Mirror.Support;

namespace Tributary.Tests.Connect.Mirror;

public sealed class MirrorSourceConnectorTests : IAsyncLifetime
{
    private readonly FakeClusters _clusters = new();
    private readonly FakeConnectorContext _context = new();
    private readonly Dictionary<string, string> _properties = MirrorSourceConfigTests.Minimal();
    private readonly MirrorSourceConnector _connector;

    public MirrorSourceConnectorTests()
    {
        _connector = new MirrorSourceConnector(_ => _clusters);
        _connector.Initialize(_context);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _connector.StopAsync(CancellationToken.None);

    [Fact]
    public void The_connector_answers_to_MirrorMakers_class_name()
    {
        var plugin = typeof(MirrorSourceConnector).GetCustomAttributes(typeof(ConnectPluginAttribute), false).Cast<ConnectPluginAttribute>().Single();

        Assert.Equal(["org.apache.kafka.connect.mirror.MirrorSourceConnector"], plugin.ClassNames);
        Assert.Equal(typeof(MirrorSourceTask), _connector.TaskType);
    }

    [Fact]
    public async Task Partitions_are_dealt_round_robin_over_the_tasks_as_Kafka_deals_them()
    {
        _clusters.Source["t0"] = 8;
        _clusters.Source["t1"] = 2;
        _clusters.Source["t2"] = 2;
        await _connector.StartAsync(_properties, CancellationToken.None);

        var configs = _connector.TaskConfigs(3);

        Assert.Equal(
            ["t0-0,t0-3,t0-6,t1-1", "t0-1,t0-4,t0-7,t2-0", "t0-2,t0-5,t1-0,t2-1"],
            configs.Select(c => c["task.assigned.partitions"]));
        Assert.Equal(["0", "1", "2"], configs.Select(c => c["task.index"]));

        // Each task gets the whole connector configuration besides its partitions.
        Assert.All(configs, c => Assert.Equal("old", c["source.cluster.alias"]));
    }

    [Fact]
    public async Task No_more_tasks_than_partitions_and_none_without_partitions()
    {
        _clusters.Source["orders"] = 2;
        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.Equal(2, _connector.TaskConfigs(10).Count);

        var empty = new MirrorSourceConnector(_ => new FakeClusters());
        empty.Initialize(new FakeConnectorContext());
        await empty.StartAsync(_properties, CancellationToken.None);
        Assert.Empty(empty.TaskConfigs(10));
        await empty.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Task_configs_name_partitions_as_Kafka_does_and_read_back_topics_with_dashes()
    {
        var config = MirrorSourceConfig.Parse(_properties);
        var task = MirrorSourceConfig.ParseTask(config.TaskConfig([new TopicPartition("my-topic-1", 3), new TopicPartition("a", 0)], 4));

        Assert.Equal([new TopicPartition("my-topic-1", 3), new TopicPartition("a", 0)], task.AssignedPartitions);
    }

    [Fact]
    public async Task Only_chosen_topics_that_are_not_internal_or_from_the_target_are_replicated()
    {
        _properties["topics"] = "orders.*, payments, heartbeats";
        _properties["topics.exclude"] = "orders-test";
        _properties["target.cluster.alias"] = "new";
        foreach (var topic in new[] { "orders", "orders-eu", "orders-test", "payments", "users", "__consumer_offsets", "orders-internal", "new.orders", "x.heartbeats" })
        {
            _clusters.Source[topic] = 1;
        }

        await _connector.StartAsync(_properties, CancellationToken.None);

        // Heartbeats are replicated even beyond the filter; remote topics of the target itself would make a cycle.
        Assert.Equal(["orders", "orders-eu", "payments", "x.heartbeats"], _connector.KnownPartitions.Select(p => p.Topic));
    }

    [Fact]
    public async Task Remote_topics_are_created_with_the_sources_partition_count_and_non_default_configs()
    {
        _properties["replication.factor"] = "1";
        _clusters.Source["orders"] = 3;
        _clusters.SourceConfigs["orders"] =
        [
            new TopicConfigEntry("retention.ms", "86400000", IsDefault: false, IsReadOnly: false, IsSensitive: false, IsStaticBrokerConfig: false),
            new TopicConfigEntry("cleanup.policy", "delete", IsDefault: true, IsReadOnly: false, IsSensitive: false, IsStaticBrokerConfig: false),
            new TopicConfigEntry("min.insync.replicas", "2", IsDefault: false, IsReadOnly: false, IsSensitive: false, IsStaticBrokerConfig: false),
            new TopicConfigEntry("segment.bytes", "1000", IsDefault: false, IsReadOnly: false, IsSensitive: false, IsStaticBrokerConfig: true),
            new TopicConfigEntry("secret", "x", IsDefault: false, IsReadOnly: false, IsSensitive: true, IsStaticBrokerConfig: false),
        ];

        await _connector.StartAsync(_properties, CancellationToken.None);

        var created = Assert.Single(_clusters.Created);
        Assert.Equal("old.orders", created.Name);
        Assert.Equal(3, created.Partitions);
        Assert.Equal(1, created.ReplicationFactor);

        // Defaults stay the target's, excluded, static and secret settings are not copied.
        Assert.Equal(new Dictionary<string, string> { ["retention.ms"] = "86400000" }, created.Configs);
    }

    [Fact]
    public async Task Configs_are_not_copied_when_config_sync_is_off()
    {
        _properties["sync.topic.configs.enabled"] = "false";
        _clusters.Source["orders"] = 1;
        _clusters.SourceConfigs["orders"] = [new TopicConfigEntry("retention.ms", "1", false, false, false, false)];

        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.Empty(Assert.Single(_clusters.Created).Configs);
    }

    [Fact]
    public async Task The_identity_policy_creates_topics_of_the_same_name()
    {
        _properties["replication.policy.class"] = "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";
        _clusters.Source["orders"] = 2;

        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.Equal("orders", Assert.Single(_clusters.Created).Name);
        Assert.Equal("orders", MirrorSourceConfig.Parse(_properties).Policy.FormatRemoteTopic("old", "orders"));
    }

    [Fact]
    public async Task New_topics_and_partitions_are_found_by_the_refresh_and_the_tasks_reconfigured()
    {
        _properties["refresh.topics.interval.seconds"] = "1";
        _clusters.Source["orders"] = 1;
        _clusters.Target["old.orders"] = 1;
        await _connector.StartAsync(_properties, CancellationToken.None);
        Assert.Empty(_clusters.Created);
        var before = _context.Reconfigurations;

        _clusters.Source["orders"] = 3;
        _clusters.Source["payments"] = 1;
        await WaitUntilAsync(() => _connector.KnownPartitions.Count == 4);

        Assert.Equal([KeyValuePair.Create("old.orders", 3)], _clusters.Grown);
        Assert.Equal("old.payments", Assert.Single(_clusters.Created).Name);
        await WaitUntilAsync(() => _context.Reconfigurations > before);
        Assert.Equal(4, _connector.TaskConfigs(4).Count);
    }

    [Fact]
    public async Task A_remote_topic_that_cannot_be_created_fails_the_connector()
    {
        _clusters.Source["orders"] = 1;
        _clusters.Refused.Add("old.orders");

        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.Contains("old.orders", Assert.Single(_context.Errors).Message, StringComparison.Ordinal);
        Assert.Empty(_connector.TaskConfigs(1));
    }

    [Fact]
    public async Task A_source_cluster_that_cannot_be_reached_at_start_fails_the_connector()
    {
        _clusters.SourceDown = true;

        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.IsType<ConnectException>(Assert.Single(_context.Errors));
    }

    [Fact]
    public async Task A_disabled_connector_has_no_tasks_and_touches_no_cluster()
    {
        _properties["enabled"] = "false";
        _clusters.Source["orders"] = 1;

        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.Empty(_connector.TaskConfigs(1));
        Assert.Empty(_clusters.Created);
    }

    [Fact]
    public async Task Stopping_closes_the_admin_clients()
    {
        await _connector.StartAsync(_properties, CancellationToken.None);
        await _connector.StopAsync(CancellationToken.None);

        Assert.True(_clusters.Disposed);
    }

    [Fact]
    public void Offsets_sent_to_the_REST_API_must_have_MirrorMakers_shape()
    {
        var partition = new Dictionary<string, object?> { ["cluster"] = "old", ["topic"] = "orders", ["partition"] = 0 };

        Assert.True(_connector.AlterOffsets(_properties, [(partition, new Dictionary<string, object?> { ["offset"] = 5L })]));
        Assert.True(_connector.AlterOffsets(_properties, [(new Dictionary<string, object?>(), null)]));
        Assert.Throws<ConnectException>(() => _connector.AlterOffsets(_properties, [(partition, new Dictionary<string, object?> { ["offset"] = -1L })]));
        Assert.Throws<ConnectException>(() => _connector.AlterOffsets(_properties, [(partition, new Dictionary<string, object?> { ["offset"] = "5" })]));
        Assert.Throws<ConnectException>(() => _connector.AlterOffsets(_properties,
            [(new Dictionary<string, object?> { ["cluster"] = "old", ["topic"] = "orders" }, new Dictionary<string, object?> { ["offset"] = 5L })]));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true in time.");
            await Task.Delay(50);
        }
    }
}
