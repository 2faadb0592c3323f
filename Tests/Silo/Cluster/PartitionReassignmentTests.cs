using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;
using KafkaErrorCode = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// Kafka's partition reassignment (AlterPartitionReassignments / ListPartitionReassignments, driven with kafkajs, whose
/// admin client has them) on silo processes: replicas move onto a broker that joined while an idempotent acks=all
/// producer runs, the new replicas hold the same bytes, leadership leaves the removed brokers and their logs are
/// deleted; a throttled reassignment (leader.replication.throttled.rate) stays in progress, is listed, and is cancelled.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PartitionReassignmentTests(RedisClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ReplicasMovedOntoANewBroker_WhileProducing_CopyTheLog_TakeLeadership_AndTheOldReplicasAreDeleted()
    {
        const string topic = "reassigned";
        const int partitions = 3;
        await CreateAsync(topic, partitions, replicationFactor: 2);
        await ClusterPartitions.WaitForIsrAsync(Cluster.BootstrapServers, topic, partitions, 2, TimeSpan.FromSeconds(30));
        await JoinBroker4Async();

        await using var load = new AcknowledgedLoad(Cluster.BootstrapServers, topic, partitions);
        await Task.Delay(3000);
        var before = ClusterPartitions.Describe(Cluster.BootstrapServers, topic);

        // Every partition leaves its leader for broker 4, which leads once it is in sync; the old leaders' logs go.
        Assert.All(before, p => Assert.True(Directory.Exists(Path.Combine(Cluster.DataDirectory(p.Leader), $"{topic}-{p.PartitionId}"))));
        var targets = before.ToDictionary(p => p.PartitionId, p => new[] { 4, p.Replicas.First(r => r != p.Leader) });
        await ReassignAsync(topic, targets);
        var after = await ClusterPartitions.WaitUntilAsync(
            Cluster.BootstrapServers,
            topic,
            ps => ps.All(p => p.Replicas.SequenceEqual(targets[p.PartitionId]) && p.InSyncReplicas.Length == 2 && p.Leader == 4),
            TimeSpan.FromSeconds(60));
        output.WriteLine(string.Join("; ", after.Select(p => $"{p.PartitionId}: [{string.Join(",", before[p.PartitionId].Replicas)}] -> [{string.Join(",", p.Replicas)}]")));
        Assert.Empty(await ListAsync(topic));

        await Task.Delay(1000);
        await load.StopAsync();
        Assert.Empty(load.Failures);
        var check = load.Check(Cluster.BootstrapServers);
        output.WriteLine(check.ToString());
        Assert.True(check.Clean, check.ToString());

        foreach (var partition in before)
        {
            await WaitForDeletionAsync(partition.Leader, topic, partition.PartitionId);
            await AssertSameBytesAsync(topic, partition.PartitionId, targets[partition.PartitionId]);
        }
    }

    [Fact]
    public async Task AThrottledReassignment_IsListedInProgress_AndCancellingItDropsTheAddedReplica()
    {
        const string topic = "throttled-move";
        await CreateAsync(topic, 1, replicationFactor: 1, new Dictionary<string, string>
        {
            ["leader.replication.throttled.replicas"] = "*",
        });
        using (var producer = ClusterClients.Producer(Cluster.BootstrapServers))
        {
            var value = new string('x', 1024);
            for (var i = 0; i < 4000; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = i.ToString(), Value = value });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var leader = ClusterPartitions.Describe(Cluster.BootstrapServers, topic)[0].Leader;
        var added = Cluster.Silos.Keys.First(b => b != leader);
        await SetThrottleRateAsync("10000");
        try
        {
            // 4 MB at 10 KB/s: the added replica cannot catch up within the test.
            await ReassignAsync(topic, new Dictionary<int, int[]> { [0] = [leader, added] });
            await Task.Delay(2000);
            var ongoing = Assert.Single(await ListAsync(topic));
            Assert.Equal(topic, ongoing.GetProperty("name").GetString());
            var partition = Assert.Single(ongoing.GetProperty("partitions").EnumerateArray());
            Assert.Equal([leader, added], partition.GetProperty("replicas").EnumerateArray().Select(r => r.GetInt32()));
            Assert.Equal([added], partition.GetProperty("addingReplicas").EnumerateArray().Select(r => r.GetInt32()));
            Assert.Empty(partition.GetProperty("removingReplicas").EnumerateArray());
            var copied = ClusterPartitions.LogSize(Cluster, added, topic, 0);
            output.WriteLine($"throttled copy on broker {added}: {copied} of {ClusterPartitions.LogSize(Cluster, leader, topic, 0)} bytes after 2 s");
            Assert.True(copied < ClusterPartitions.LogSize(Cluster, leader, topic, 0) / 2, $"the throttled replica copied {copied} bytes");

            // The REST Proxy's v3 reassignment resources show the same move, from any broker.
            using var http = new HttpClient();
            var rest = $"{Cluster.Silos[added].RestUrl}/v3/clusters/{await ClusterIdAsync(http)}";
            var one = JsonDocument.Parse(await http.GetStringAsync($"{rest}/topics/{topic}/partitions/0/reassignment")).RootElement;
            Assert.Equal("KafkaReassignment", one.GetProperty("kind").GetString());
            Assert.Equal([added], one.GetProperty("adding_replicas").EnumerateArray().Select(r => r.GetInt32()));
            Assert.Empty(one.GetProperty("removing_replicas").EnumerateArray());
            Assert.EndsWith($"/topics/{topic}/partitions/0/replicas", one.GetProperty("replicas").GetProperty("related").GetString(), StringComparison.Ordinal);
            foreach (var list in new[] { $"{rest}/topics/-/partitions/-/reassignment", $"{rest}/topics/{topic}/partitions/-/reassignment" })
            {
                var listed = JsonDocument.Parse(await http.GetStringAsync(list)).RootElement;
                Assert.Equal("KafkaReassignmentList", listed.GetProperty("kind").GetString());
                Assert.Contains(listed.GetProperty("data").EnumerateArray(), r => r.GetProperty("topic_name").GetString() == topic && r.GetProperty("partition_id").GetInt32() == 0);
            }

            // A broker that never joined is refused; cancelling drops the added replica and its log.
            Assert.True(Directory.Exists(Path.Combine(Cluster.DataDirectory(added), $"{topic}-0")));
            Assert.Equal((short)KafkaErrorCode.InvalidReplicaAssignment, AlterRaw(topic, [leader, 99]));
            Assert.Equal((short)KafkaErrorCode.None, AlterRaw(topic, null));
            Assert.Equal((short)KafkaErrorCode.NoReassignmentInProgress, AlterRaw(topic, null));
            Assert.Empty(await ListAsync(topic));
            await ClusterPartitions.WaitUntilAsync(Cluster.BootstrapServers, topic, ps => ps[0].Replicas.SequenceEqual([leader]), TimeSpan.FromSeconds(10));
            await WaitForDeletionAsync(added, topic, 0);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"{rest}/topics/{topic}/partitions/0/reassignment")).StatusCode);
            Assert.Empty(JsonDocument.Parse(await http.GetStringAsync($"{rest}/topics/{topic}/partitions/-/reassignment")).RootElement.GetProperty("data").EnumerateArray());
        }
        finally
        {
            await SetThrottleRateAsync(null);
        }

        // Unthrottled, the same move completes.
        await ReassignAsync(topic, new Dictionary<int, int[]> { [0] = [leader, added] });
        await ClusterPartitions.WaitUntilAsync(
            Cluster.BootstrapServers, topic, ps => ps[0].Replicas.SequenceEqual([leader, added]) && ps[0].InSyncReplicas.Length == 2, TimeSpan.FromSeconds(60));
        await AssertSameBytesAsync(topic, 0, [leader, added]);
    }

    [Fact]
    public async Task AReplicaMovedAwayWhileItsBrokerWasDown_IsRemovedWhenTheBrokerComesBack()
    {
        const string topic = "stray-replica";
        using (var admin = ClusterClients.Admin(Cluster.BootstrapServers))
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = -1, ReplicasAssignments = new() { [0] = [1, 3] } }]);
        }

        await ClusterPartitions.WaitForIsrAsync(Cluster.BootstrapServers, topic, 1, 2, TimeSpan.FromSeconds(30));
        using (var producer = ClusterClients.Producer(Cluster.BootstrapServers))
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
            }
        }

        var stray = Path.Combine(Cluster.DataDirectory(3), $"{topic}-0");
        Assert.True(Directory.Exists(stray));
        await Cluster.StopAsync(3);
        try
        {
            // Broker 3 is away: no one can tell it that its replica went to broker 2.
            await ReassignAsync(topic, new Dictionary<int, int[]> { [0] = [1, 2] });
            await ClusterPartitions.WaitUntilAsync(
                Cluster.BootstrapServers, topic, ps => ps[0].Replicas.SequenceEqual([1, 2]) && ps[0].InSyncReplicas.Length == 2, TimeSpan.FromSeconds(60));
            Assert.True(Directory.Exists(stray));
        }
        finally
        {
            await Cluster.StartSiloAsync(3);
        }

        await WaitForDeletionAsync(3, topic, 0);
        await AssertSameBytesAsync(topic, 0, [1, 2]);
        Assert.Equal(10, ClusterClients.ReadAll(Cluster.BootstrapServers, topic, [0], 10).Count);
    }

    private async Task<string> ClusterIdAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync($"{Cluster.Silos.Values.First().RestUrl}/v3/clusters")).RootElement
            .GetProperty("data")[0].GetProperty("cluster_id").GetString()!;

    private async Task CreateAsync(string topic, int partitions, short replicationFactor, Dictionary<string, string>? configs = null)
    {
        using var admin = ClusterClients.Admin(Cluster.BootstrapServers);
        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = topic,
            NumPartitions = partitions,
            ReplicationFactor = replicationFactor,
            Configs = configs ?? new Dictionary<string, string> { ["min.insync.replicas"] = "2" },
        }]);
    }

    private async Task JoinBroker4Async()
    {
        if (!Cluster.Silos.ContainsKey(4))
        {
            await Cluster.StartSiloAsync(4);
        }

        foreach (var silo in Cluster.Silos.Values)
        {
            await SiloCluster.WaitForBrokersAsync(silo.KafkaPort, [1, 2, 3, 4], TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>kafkajs's alterPartitionReassignments, as kafka-reassign-partitions --execute sends it.</summary>
    private Task ReassignAsync(string topic, IReadOnlyDictionary<int, int[]> targets)
    {
        var assignment = JsonSerializer.Serialize(targets.Select(t => new { partition = t.Key, replicas = t.Value }));
        return KafkaJs.AdminAsync(
            Cluster.BootstrapServers,
            $"await admin.alterPartitionReassignments({{ topics: [{{ topic: '{topic}', partitionAssignment: {assignment} }}] }}); return null;");
    }

    /// <summary>kafkajs's listPartitionReassignments of every topic: <paramref name="topic"/>'s entry when it has a reassignment in progress.</summary>
    private async Task<List<JsonElement>> ListAsync(string topic)
    {
        var listed = await KafkaJs.AdminAsync(Cluster.BootstrapServers, "return await admin.listPartitionReassignments({});");
        return [.. listed.GetProperty("topics").EnumerateArray().Where(t => t.GetProperty("name").GetString() == topic)];
    }

    /// <summary>One partition's AlterPartitionReassignments over the wire (kafkajs cannot send a cancellation's null replicas); its error code.</summary>
    private short AlterRaw(string topic, List<int>? replicas)
    {
        using var client = new RawKafkaClient(Cluster.KafkaPort(Cluster.Silos.Keys.First()));
        var response = client.Call<AlterPartitionReassignmentsResponse>(ApiKey.AlterPartitionReassignments, 0, new AlterPartitionReassignmentsRequest
        {
            Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = 0, Replicas = replicas }] }],
        });
        Assert.Equal(0, response.ErrorCode);
        return Assert.Single(Assert.Single(response.Responses).Partitions).ErrorCode;
    }

    private async Task SetThrottleRateAsync(string? bytesPerSecond)
    {
        using var admin = ClusterClients.Admin(Cluster.BootstrapServers);
        var entry = new ConfigEntry { Name = "leader.replication.throttled.rate", Value = bytesPerSecond ?? "", IncrementalOperation = bytesPerSecond is null ? AlterConfigOpType.Delete : AlterConfigOpType.Set };
        // Per broker, as kafka-reassign-partitions sets it (librdkafka names neither the cluster default nor two brokers in one call).
        foreach (var broker in Cluster.Silos.Keys)
        {
            await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
            {
                [new ConfigResource { Type = ResourceType.Broker, Name = broker.ToString(CultureInfo.InvariantCulture) }] = [entry],
            });
        }
    }

    private async Task WaitForDeletionAsync(int brokerId, string topic, int partition)
    {
        var directory = Path.Combine(Cluster.DataDirectory(brokerId), $"{topic}-{partition}");
        for (var attempt = 0; attempt < 100 && Directory.Exists(directory); attempt++)
        {
            await Task.Delay(200);
        }

        Assert.False(Directory.Exists(directory), $"{directory} is still there");
    }

    private async Task AssertSameBytesAsync(string topic, int partition, IReadOnlyList<int> replicas)
    {
        long[] sizes = [];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            sizes = [.. replicas.Select(b => ClusterPartitions.LogSize(Cluster, b, topic, partition))];
            if (sizes.All(s => s > 0 && s == sizes[0]))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{topic}-{partition}: replica sizes differ: [{string.Join(",", sizes)}]");
    }
}
