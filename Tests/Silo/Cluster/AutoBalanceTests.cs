using System.Diagnostics;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>Redis and three silo processes that balance replicas (<c>Tributary:Cluster:AutoBalance</c>, on by default) every 2 s.</summary>
public sealed class BalancingClusterFixture : RedisClusterFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Tributary__Cluster__AutoBalance"] = "true",
        ["Tributary__Cluster__AutoBalanceInterval"] = "00:00:02",
    };
}

/// <summary>
/// The cluster's own balancing: a fourth silo that joins a three-silo cluster gets its even share of the existing
/// partitions' replicas and leaderships, moved while an idempotent acks=all producer runs, which sees retriable errors
/// only and loses nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AutoBalanceTests(BalancingClusterFixture fixture, ITestOutputHelper output) : IClassFixture<BalancingClusterFixture>
{
    private const string Topic = "balanced";
    private const int Partitions = 8;

    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ABrokerThatJoins_GetsItsEvenShareOfReplicasAndLeaders_WhileProducersRun()
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

        await ClusterPartitions.WaitForIsrAsync(Cluster.BootstrapServers, Topic, Partitions, 3, TimeSpan.FromSeconds(30));
        await using var load = new AcknowledgedLoad(Cluster.BootstrapServers, Topic, Partitions);
        await Task.Delay(2000);

        await Cluster.StartSiloAsync(4);
        var joined = Stopwatch.StartNew();
        int[] brokers = [1, 2, 3, 4];

        // 24 replicas: 6 on each broker, each the preferred and actual leader of 2 partitions, all in sync.
        var after = await ClusterPartitions.WaitUntilAsync(
            Cluster.Silos[4].BootstrapServers,
            Topic,
            ps => ps.Count == Partitions
                && ps.All(p => p.Replicas.Length == 3 && p.InSyncReplicas.Length == 3)
                && brokers.All(b => ps.Count(p => p.Replicas.Contains(b)) == 6 && ps.Count(p => p.Leader == b) == 2),
            TimeSpan.FromSeconds(120));
        output.WriteLine($"balanced {joined.ElapsedMilliseconds} ms after broker 4 started: "
            + string.Join("; ", after.Select(p => $"{p.PartitionId}: [{string.Join(",", p.Replicas)}] leader {p.Leader}")));

        await Task.Delay(1000);
        await load.StopAsync();
        Assert.Empty(load.Failures);
        var check = load.Check(Cluster.BootstrapServers);
        output.WriteLine(check.ToString());
        Assert.True(check.Clean, check.ToString());
    }
}
