using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// A topic replicated three times on three silo processes: when the preferred leader of a partition is killed, another
/// replica leads; once it is back in the ISR, an administrator's PREFERRED election gives it leadership back, and the
/// partition still takes acks=all writes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PreferredLeaderElectionTests(RedisClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private const string Topic = "preferred";
    private const int Partitions = 2;

    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task PreferredElection_AfterThePreferredLeaderRejoinsTheIsr_MakesItLeaderAgain()
    {
        using (var admin = ClusterClients.Admin(Cluster.BootstrapServers))
        {
            await admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = Topic,
                NumPartitions = Partitions,
                ReplicationFactor = 3,
                Configs = new Dictionary<string, string> { ["min.insync.replicas"] = "2" },
            }]);
        }

        var before = await ClusterPartitions.WaitForIsrAsync(Cluster.BootstrapServers, Topic, Partitions, 3, TimeSpan.FromSeconds(30));
        var preferred = before[0].Replicas[0];
        Assert.Equal(preferred, before[0].Leader);
        var others = string.Join(",", Cluster.Silos.Where(s => s.Key != preferred).Select(s => s.Value.BootstrapServers));

        await Cluster.KillAsync(preferred);
        await ClusterPartitions.WaitUntilAsync(others, Topic, ps => ps[0].Leader >= 0 && ps[0].Leader != preferred, TimeSpan.FromSeconds(60));
        await Cluster.StartSiloAsync(preferred);
        var rejoined = await ClusterPartitions.WaitForIsrAsync(others, Topic, Partitions, 3, TimeSpan.FromSeconds(60));
        output.WriteLine($"broker {preferred} back in the ISR; partition 0 led by {rejoined[0].Leader}");

        // Elected back, or, should leadership have gone back already (a later election from the ISR may pick it, as it
        // is first in preference order), nothing needed.
        using (var admin = ClusterClients.Admin(others))
        {
            var result = await admin.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartition(Topic, 0)]);
            Assert.Contains(Assert.Single(result.TopicPartitions).Error.Code, new[] { Confluent.Kafka.ErrorCode.NoError, Confluent.Kafka.ErrorCode.ElectionNotNeeded });
        }

        await ClusterPartitions.WaitUntilAsync(Cluster.BootstrapServers, Topic, ps => ps[0].Leader == preferred, TimeSpan.FromSeconds(10));
        using var producer = ClusterClients.Producer(Cluster.BootstrapServers);
        var delivered = await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<string, string> { Key = "k", Value = "after election" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }
}
