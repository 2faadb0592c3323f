using System.Diagnostics;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// Three balancing silos run as pods of a StatefulSet whose API (<see cref="StatefulSetApiServer"/>) they read when they
/// stop; <c>offsets.topic.replication.factor</c> 2.
/// </summary>
public sealed class ScaleDownClusterFixture : RedisClusterFixture
{
    public StatefulSetApiServer Api { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Tributary__Cluster__AutoBalance"] = "true",
        ["Tributary__Cluster__AutoBalanceInterval"] = "00:00:02",
        ["Tributary__Kubernetes__DrainOnScaleDown"] = "true",
        ["Tributary__Kubernetes__ApiServer"] = Api.Url,
        ["Tributary__Kubernetes__ServiceAccountDirectory"] = Api.ServiceAccountDirectory,
        // The StatefulSet's name comes from the pod's, as in a pod; the ordinal is the broker id.
        ["POD_NAME"] = StatefulSetApiServer.Name + "-0",
        // Not the default (default.replication.factor, 1 here): __consumer_offsets takes its own replication factor.
        ["Tributary__Groups__OffsetsTopicReplicationFactor"] = "2",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Api.DisposeAsync();
    }
}

/// <summary>
/// Kubernetes' scale-down path: the StatefulSet's preStop hook (<c>/lifecycle/pre-stop</c>) lets a pod that only
/// restarts go at once, and makes a pod the scale-down removes retire its broker first: its replicas move to the
/// brokers that stay while an idempotent acks=all producer runs, which loses nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ScaleDownTests(ScaleDownClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ScaleDownClusterFixture>
{
    private const string Topic = "scaled";
    private const int Partitions = 6;

    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task APodTheScaleDownRemoves_RetiresItsBrokerBeforeItStops_WhileAPodThatStaysStopsAtOnce()
    {
        using (var admin = ClusterClients.Admin(Cluster.BootstrapServers))
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = Partitions, ReplicationFactor = 2 }]);
        }

        var before = await ClusterPartitions.WaitForIsrAsync(Cluster.BootstrapServers, Topic, Partitions, 2, TimeSpan.FromSeconds(30));
        Assert.Contains(before, p => p.Replicas.Contains(3));
        await using var load = new AcknowledgedLoad(Cluster.BootstrapServers, Topic, Partitions);
        await Task.Delay(2000);

        // The StatefulSet keeps 3 pods, ordinals 0-2: broker 2's pod is restarted, not removed.
        fixture.Api.Replicas = 3;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var watch = Stopwatch.StartNew();
        var staying = await http.GetStringAsync($"http://127.0.0.1:{Cluster.Silos[2].HealthPort}/lifecycle/pre-stop");
        output.WriteLine($"broker 2: {staying} ({watch.ElapsedMilliseconds} ms)");
        Assert.Equal("stopping: pod 2 stays in the StatefulSet (3 replicas)", staying);
        Assert.Contains(ClusterPartitions.Describe(Cluster.BootstrapServers, Topic), p => p.Replicas.Contains(2));

        // Broker 3's pod (ordinal 3) is the one the scale-down to 3 removes.
        watch.Restart();
        var leaving = await http.GetStringAsync($"http://127.0.0.1:{Cluster.Silos[3].HealthPort}/lifecycle/pre-stop");
        output.WriteLine($"broker 3: {leaving} ({watch.ElapsedMilliseconds} ms)");
        Assert.Equal("retired: broker 3 holds no replica", leaving);
        Assert.All(fixture.Api.Requests, r => Assert.Equal(("GET", $"/apis/apps/v1/namespaces/{StatefulSetApiServer.Namespace}/statefulsets/{StatefulSetApiServer.Name}", true), r));

        // Every partition kept two replicas, on the brokers that stay, in sync; then the pod stops (SIGTERM).
        await ClusterPartitions.WaitUntilAsync(
            Cluster.Silos[1].BootstrapServers,
            Topic,
            ps => ps.Count == Partitions && ps.All(p => !p.Replicas.Contains(3) && p.Replicas.Length == 2 && p.Leader >= 0 && p.InSyncReplicas.Length == 2),
            TimeSpan.FromSeconds(30));
        await Cluster.StopAsync(3);

        await Task.Delay(1000);
        await load.StopAsync();
        Assert.Empty(load.Failures);
        var check = load.Check(Cluster.Silos[1].BootstrapServers);
        output.WriteLine(check.ToString());
        Assert.True(check.Clean, check.ToString());
    }

    [Fact]
    public async Task TheOffsetsTopic_IsCreatedWithOffsetsTopicReplicationFactor()
    {
        var bootstrap = Cluster.Silos[1].BootstrapServers;
        await ClusterClients.CreateTopicAsync(bootstrap, "committed", 1);
        using (var consumer = ClusterClients.Consumer(bootstrap, "offsets-rf"))
        {
            consumer.Commit([new Confluent.Kafka.TopicPartitionOffset("committed", 0, 0)]);
        }

        using var admin = ClusterClients.Admin(bootstrap);
        var config = (await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }])).Single();
        Assert.Equal("2", config.Entries["offsets.topic.replication.factor"].Value);
        var offsets = await ClusterPartitions.WaitUntilAsync(bootstrap, "__consumer_offsets", ps => ps.Count > 0, TimeSpan.FromSeconds(30));
        Assert.All(offsets, p => Assert.Equal(2, p.Replicas.Length));
    }
}
