using Confluent.Kafka;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// The Azure deployment's stores, on Azurite: silos joined by Azure Table membership keep control-plane state in Azure
/// Blob (the default) or Table storage, so topics and committed offsets outlive every silo.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AzureClusterTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private SiloCluster _cluster = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    [Theory]
    [InlineData("AzureBlob")]
    [InlineData("AzureTable")]
    public async Task TwoSilos_ServeOneCluster_AndItsStateOutlivesThemAll(string storage)
    {
        _cluster = new SiloCluster(["--membership", "AzureTable", "--cluster-connection", _azurite.ConnectionString, "--storage", storage]);
        await _cluster.StartAsync(1, 2);
        var bootstrap = _cluster.Silos[1].BootstrapServers;
        await ClusterClients.CreateTopicAsync(bootstrap, "azure-topic", 4);
        var leaders = ClusterClients.Leaders(_cluster.Silos[2].BootstrapServers, "azure-topic");
        Assert.Equal(new[] { 1, 2 }, leaders.Values.Distinct().Order());

        using (var producer = ClusterClients.Producer(bootstrap))
        {
            for (var i = 0; i < 40; i++)
            {
                Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync("azure-topic", new Message<string, string> { Key = $"k{i}", Value = $"v{i}" })).Status);
            }
        }

        using (var consumer = ClusterClients.Consumer(bootstrap, "azure-group"))
        {
            consumer.Subscribe("azure-topic");
            var seen = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (seen < 40 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    seen++;
                    consumer.Commit(result);
                }
            }

            Assert.Equal(40, seen);
            consumer.Close();
        }

        // Every silo stops (kill -9); started again, they find the topic, its placement and the group's offsets in
        // the blobs, and the records in their own data directories.
        await _cluster.KillAsync(1);
        await _cluster.KillAsync(2);
        await _cluster.StartAsync(1, 2);
        Assert.Equal(leaders, await ClusterClients.LeadersOnceElectedAsync(_cluster.Silos[1].BootstrapServers, "azure-topic", TimeSpan.FromSeconds(30)));
        using var admin = ClusterClients.Admin(_cluster.Silos[2].BootstrapServers);
        var committed = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("azure-group", null)]);
        Assert.Equal(40, committed.Single().Partitions.Sum(p => p.Offset.Value));
        Assert.Equal(40, ClusterClients.ReadAll(_cluster.BootstrapServers, "azure-topic", leaders.Keys, 40).Count);
    }
}
