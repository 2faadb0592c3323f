using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>A silo added to a running three-silo cluster takes partitions of new topics and new partitions; old ones stay.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterScaleTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>
{
    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task AddedSilo_TakesPartitionsOfTopicsCreatedAfterItJoined_AndOfCreatePartitions()
    {
        var bootstrap = Cluster.Silos[1].BootstrapServers;
        await ClusterClients.CreateTopicAsync(bootstrap, "before-scale", 6);
        var before = ClusterClients.Leaders(bootstrap, "before-scale");

        await Cluster.StartSiloAsync(4);

        // Metadata names the new broker as soon as it has joined, from every silo.
        foreach (var silo in Cluster.Silos.Values)
        {
            await ClusterClients.WaitForBrokersAsync(silo.BootstrapServers, [1, 2, 3, 4], TimeSpan.FromSeconds(30));
        }

        await ClusterClients.CreateTopicAsync(bootstrap, "after-scale", 12);
        var after = ClusterClients.Leaders(Cluster.Silos[4].BootstrapServers, "after-scale");
        Assert.All(new[] { 1, 2, 3, 4 }, id => Assert.Equal(3, after.Values.Count(l => l == id)));

        // Existing partitions stay where their data is; partitions added to an old topic go to all four.
        Assert.Equal(before, ClusterClients.Leaders(bootstrap, "before-scale"));
        using (var admin = ClusterClients.Admin(bootstrap))
        {
            await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "before-scale", IncreaseTo = 10 }]);
        }

        var grown = await ClusterClients.WaitForPartitionsAsync(Cluster.Silos[2].BootstrapServers, "before-scale", 10);
        Assert.Equal(10, grown.Count);
        Assert.All(before, p => Assert.Equal(p.Value, grown[p.Key]));
        Assert.Equal(new[] { 1, 2, 3, 4 }, Enumerable.Range(6, 4).Select(p => grown[p]).Order());

        // The new broker serves its partitions to a client that was given only an old silo.
        using (var producer = ClusterClients.Producer(bootstrap))
        {
            foreach (var partition in after.Where(p => p.Value == 4).Select(p => p.Key))
            {
                var result = await producer.ProduceAsync(new TopicPartition("after-scale", partition), new Message<string, string> { Key = "k", Value = $"on-4-{partition}" });
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
            }
        }

        var read = ClusterClients.ReadAll(bootstrap, "after-scale", after.Where(p => p.Value == 4).Select(p => p.Key), 3);
        Assert.Equal(after.Where(p => p.Value == 4).Select(p => $"on-4-{p.Key}").Order(), read.Select(r => r.Message.Value).Order());
    }
}
