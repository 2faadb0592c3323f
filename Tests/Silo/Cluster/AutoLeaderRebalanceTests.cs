using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>Redis and three silo processes that check leader imbalance every 2 s (Kafka's <c>leader.imbalance.check.interval.seconds</c>).</summary>
public sealed class RebalancingClusterFixture : RedisClusterFixture
{
    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string> { ["Tributary__LeaderImbalanceCheckInterval"] = "00:00:02" };
}

/// <summary>
/// Kafka's <c>auto.leader.rebalance.enable</c> (on by default): once a preferred leader that was killed is back in the
/// ISR, the controller elects it back by itself at its next imbalance check, and the partition takes acks=all writes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AutoLeaderRebalanceTests(RebalancingClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RebalancingClusterFixture>
{
    private const string Topic = "rebalanced";
    private const int Partitions = 3;

    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task APreferredLeaderBackInTheIsr_LeadsAgainByItself()
    {
        using (var admin = ClusterClients.Admin(Cluster.BootstrapServers))
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = Partitions, ReplicationFactor = 3 }]);
        }

        var before = await ClusterPartitions.WaitForIsrAsync(Cluster.BootstrapServers, Topic, Partitions, 3, TimeSpan.FromSeconds(30));
        var preferred = before[0].Replicas[0];
        var others = string.Join(",", Cluster.Silos.Where(s => s.Key != preferred).Select(s => s.Value.BootstrapServers));

        await Cluster.KillAsync(preferred);
        await ClusterPartitions.WaitUntilAsync(others, Topic, ps => ps[0].Leader >= 0 && ps[0].Leader != preferred, TimeSpan.FromSeconds(60));
        await Cluster.StartSiloAsync(preferred);

        // Back in the ISR, it is elected back within a few checks: every partition led by its first replica again.
        var balanced = await ClusterPartitions.WaitUntilAsync(
            Cluster.BootstrapServers, Topic, ps => ps.All(p => p.Leader == p.Replicas[0] && p.InSyncReplicas.Length == 3), TimeSpan.FromSeconds(60));
        output.WriteLine($"leaders: {string.Join(", ", balanced.Select(p => $"{p.PartitionId}: {p.Leader}"))}");
        using var producer = ClusterClients.Producer(Cluster.BootstrapServers);
        try
        {
            var delivered = await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<string, string> { Key = "k", Value = "after rebalance" });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }
        catch (ProduceException<string, string> e)
        {
            // What the brokers said meanwhile: the partition's state and each silo's last lines.
            var state = ClusterPartitions.Describe(Cluster.BootstrapServers, Topic);
            Assert.Fail($"{e.Error}; partitions now: {string.Join("; ", state.Select(p => $"{p.PartitionId}: leader {p.Leader}, isr [{string.Join(",", p.InSyncReplicas)}]"))}\n"
                + string.Join("\n", Cluster.Silos.Select(s => $"--- broker {s.Key} ---\n{string.Join("\n", s.Value.Output.Split('\n').TakeLast(60))}")));
        }
    }
}
