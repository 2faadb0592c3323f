using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Mirror.Integration;

/// <summary>
/// A migration as users run it: the old cluster (a Tributary silo in its own process) keeps taking writes while a
/// MirrorSource connector on the new platform (in this process), created through its Connect REST API, copies the
/// topics over; a stop and resume, and a restart, of the connector continue where the committed offsets say.
/// </summary>
public sealed class MirrorSourceIntegrationTests : IAsyncLifetime
{
    private const string Connector = "migrate-old";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _sourceData = new();
    private SiloLauncher? _source;
    private TargetPlatform? _target;

    private SiloLauncher Source => _source!;

    private TargetPlatform Target => _target!;

    public async Task InitializeAsync()
    {
        _source = await SiloLauncher.StartAsync(_sourceData.Path);
        _target = await TargetPlatform.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }

        if (_source is not null)
        {
            await _source.DisposeAsync();
        }

        _sourceData.Dispose();
    }

    [Fact]
    public async Task Topics_are_copied_with_keys_values_headers_timestamps_and_partitions_and_a_restart_resumes_exactly()
    {
        await Clients.CreateTopicAsync(Source.BootstrapServers, "orders", 3, new() { ["retention.ms"] = "3600000" });
        var sent = await Clients.ProduceAsync(Source.BootstrapServers, "orders", 3, 0, 30);
        using var connect = new ConnectRest(Target.ConnectUrl);

        var (status, body) = await connect.SendAsync(HttpMethod.Post, "/connectors", new
        {
            name = Connector,
            config = new Dictionary<string, string>
            {
                ["connector.class"] = "org.apache.kafka.connect.mirror.MirrorSourceConnector",
                ["tasks.max"] = "2",
                ["source.cluster.alias"] = "old",
                ["target.cluster.alias"] = "new",
                ["source.cluster.bootstrap.servers"] = Source.BootstrapServers,
                ["target.cluster.bootstrap.servers"] = Target.BootstrapServers,
                ["topics"] = "orders, payments",
                ["replication.factor"] = "1",
                ["refresh.topics.interval.seconds"] = "1",
                ["key.converter"] = "org.apache.kafka.connect.converters.ByteArrayConverter",
                ["value.converter"] = "org.apache.kafka.connect.converters.ByteArrayConverter",
                ["header.converter"] = "org.apache.kafka.connect.converters.ByteArrayConverter",
            },
        });
        Assert.True(status == 201, body?.ToJsonString());
        await connect.WaitForStateAsync(Connector, "RUNNING", 2, Timeout);

        AssertMirrored(sent, Clients.ReadAll(Target.BootstrapServers, "old.orders", 3, sent.Count, Timeout));
        await AssertRemoteTopicAsync("old.orders", 3, "3600000");

        // Producers still write to the old cluster: their records follow.
        sent.AddRange(await Clients.ProduceAsync(Source.BootstrapServers, "orders", 3, 30, 40));
        AssertMirrored(sent, Clients.ReadAll(Target.BootstrapServers, "old.orders", 3, sent.Count, Timeout));

        // A topic created later is found by the refresh and gets its remote topic with its own partition count.
        await Clients.CreateTopicAsync(Source.BootstrapServers, "payments", 2);
        var payments = await Clients.ProduceAsync(Source.BootstrapServers, "payments", 2, 0, 6);
        AssertMirrored(payments, Clients.ReadAll(Target.BootstrapServers, "old.payments", 2, payments.Count, Timeout));
        await AssertRemoteTopicAsync("old.payments", 2, null);

        // Stopped, the tasks commit their offsets; records written meanwhile come after the resume, none twice.
        Assert.Equal(204, (await connect.SendAsync(HttpMethod.Put, $"/connectors/{Connector}/stop")).Status);
        await connect.WaitForStateAsync(Connector, "STOPPED", 0, Timeout);
        sent.AddRange(await Clients.ProduceAsync(Source.BootstrapServers, "orders", 3, 40, 55));
        Assert.Equal(202, (await connect.SendAsync(HttpMethod.Put, $"/connectors/{Connector}/resume")).Status);
        await connect.WaitForStateAsync(Connector, "RUNNING", 2, Timeout);
        AssertMirrored(sent, Clients.ReadAll(Target.BootstrapServers, "old.orders", 3, sent.Count, Timeout));

        // A restart of the connector and its tasks resumes from the committed offsets as well.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var restart = await connect.SendAsync(HttpMethod.Post, $"/connectors/{Connector}/restart?includeTasks=true");
        Assert.True(restart.Status is 202 or 204, restart.Body?.ToJsonString());
        await connect.WaitForStateAsync(Connector, "RUNNING", 2, Timeout);
        sent.AddRange(await Clients.ProduceAsync(Source.BootstrapServers, "orders", 3, 55, 65));
        AssertMirrored(sent, Clients.ReadAll(Target.BootstrapServers, "old.orders", 3, sent.Count, Timeout));
        AssertMirrored(payments, Clients.ReadAll(Target.BootstrapServers, "old.payments", 2, payments.Count, Timeout));
    }

    /// <summary>The same records in each partition, in the same order, each once.</summary>
    private static void AssertMirrored(List<MirroredRecord> sent, List<MirroredRecord> mirrored)
    {
        var expected = Clients.ByPartition(sent);
        var actual = Clients.ByPartition(mirrored);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (partition, records) in expected)
        {
            Assert.Equal(records, actual[partition]);
        }
    }

    private async Task AssertRemoteTopicAsync(string topic, int partitions, string? retentionMs)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Target.BootstrapServers }).Build();
        var metadata = await MetadataAsync(admin, topic);
        Assert.Equal(partitions, Assert.Single(metadata.Topics).Partitions.Count);
        if (retentionMs is not null)
        {
            var configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
            Assert.Equal(retentionMs, Assert.Single(configs).Entries["retention.ms"].Value);
        }
    }

    /// <summary>
    /// The topic's metadata, asked again while the admin client finds no broker up (<c>Local: Broker transport failure</c>):
    /// on a machine loaded by other test processes its first connection can take longer than one request's timeout,
    /// and an application's admin calls retry that error too.
    /// </summary>
    private static async Task<Metadata> MetadataAsync(IAdminClient admin, string topic)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
            }
            catch (KafkaException e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_Transport && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
