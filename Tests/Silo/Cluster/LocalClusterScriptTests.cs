using System.Globalization;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// <c>infra/local/cluster.sh</c>, as a user runs it: three silos and Redis started, seen as one cluster, a fourth added
/// and one retired (its replicas moved away before it stops), the others restarted one at a time, all stopped.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalClusterScriptTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "tributary-tests", "script-" + Guid.NewGuid().ToString("N"));

    // Every port the script derives stays below the ephemeral range and away from the usual defaults; an offset whose
    // ports another process holds (a broker or test started by someone else on this machine) is passed over.
    private readonly int _offset = FreeOffset();
    private readonly int _redisPort = TestPorts.Next();
    private string _path = Environment.GetEnvironmentVariable("PATH") ?? "";

    public void Dispose()
    {
        // Whatever the test left running.
        RunAsync("stop").GetAwaiter().GetResult();
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    [Fact]
    public async Task StartsThreeSilosThatServeAsOneCluster_AndStopsThem()
    {
        // The script starts the redis-server it finds on the PATH, as a user's shell would.
        var redis = await Prerequisites.DebianExecutableAsync("redis-server", "redis-server");
        _path = Path.GetDirectoryName(redis) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        var started = await RunAsync("start", "3");
        Assert.True(started.ExitCode == 0, started.Output);
        Assert.Contains("broker 3 ready", started.Output, StringComparison.Ordinal);

        var ports = Enumerable.Range(1, 3).Select(id => 9091 + id + _offset).ToList();
        foreach (var port in ports)
        {
            await SiloCluster.WaitForBrokersAsync(port, [1, 2, 3], TimeSpan.FromSeconds(30));
        }

        var bootstrap = string.Join(",", ports.Select(p => $"localhost:{p}"));
        Assert.Contains($"bootstrap servers: {bootstrap}", started.Output, StringComparison.Ordinal);
        await ClusterClients.CreateTopicAsync(bootstrap, "scripted", 3);
        Assert.Equal(new[] { 1, 2, 3 }, ClusterClients.Leaders(bootstrap, "scripted").Values.Order());

        // A topic created without a replication factor gets the script's defaults for three brokers.
        using (var admin = ClusterClients.Admin(bootstrap))
        {
            await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification { Name = "scripted-default", NumPartitions = 1, ReplicationFactor = -1 }]);
            Assert.Equal(3, admin.GetMetadata("scripted-default", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Single().Replicas.Length);
            var configs = await admin.DescribeConfigsAsync([new Confluent.Kafka.Admin.ConfigResource { Type = Confluent.Kafka.Admin.ResourceType.Topic, Name = "scripted-default" }]);
            Assert.Equal("2", configs.Single().Entries["min.insync.replicas"].Value);
        }

        var status = await RunAsync("status");
        Assert.Equal(3, status.Output.Split('\n').Count(l => l.Contains("running", StringComparison.Ordinal) && l.EndsWith("ready: 200", StringComparison.Ordinal)));

        // A fourth broker joins, and broker 3 is retired: its replicas move (to broker 4) before its silo stops.
        var added = await RunAsync("add");
        Assert.True(added.ExitCode == 0, added.Output);
        var drained = await RunAsync("drain", "3");
        Assert.True(drained.ExitCode == 0, drained.Output);
        Assert.Contains("broker 3 holds no replica; stopped", drained.Output, StringComparison.Ordinal);
        var remaining = $"localhost:{9092 + _offset},localhost:{9095 + _offset}";
        await ClusterPartitions.WaitUntilAsync(remaining, "scripted", ps => ps.All(p => !p.Replicas.Contains(3)), TimeSpan.FromSeconds(30));
        var moved = await ClusterPartitions.WaitUntilAsync(
            remaining, "scripted-default", ps => ps[0].InSyncReplicas.Length == 3 && !ps[0].Replicas.Contains(3), TimeSpan.FromSeconds(30));
        Assert.Equal([1, 2, 4], moved[0].Replicas.Order());

        // A rolling restart of the three that run: each silo comes back, and its replicas are in sync, before the next goes.
        var restarted = await RunAsync("restart-rolling");
        Assert.True(restarted.ExitCode == 0, restarted.Output);
        Assert.All(new[] { 1, 2, 4 }, id => Assert.Matches($@"broker {id}: in sync: [1-9][0-9]* replicas", restarted.Output));
        var synced = await ClusterPartitions.WaitUntilAsync(remaining, "scripted-default", ps => ps[0].InSyncReplicas.Length == 3, TimeSpan.FromSeconds(30));
        Assert.Equal([1, 2, 4], synced[0].InSyncReplicas.Order());

        var stopped = await RunAsync("stop");
        Assert.True(stopped.ExitCode == 0, stopped.Output);
        Assert.Equal(4, (await RunAsync("status")).Output.Split('\n').Count(l => l.EndsWith(": stopped", StringComparison.Ordinal)));
        Assert.All(ports, port => Assert.False(Listening(port), $"port {port} still open"));
    }

    /// <summary>An offset at which every port the script gives four brokers is free.</summary>
    private static int FreeOffset()
    {
        for (var attempt = 0; ; attempt++)
        {
            var offset = Random.Shared.Next(10, 20) * 1000;
            int[] ports =
            [
                .. Enumerable.Range(1, 4).Select(id => 9091 + id + offset),
                .. Enumerable.Range(0, 4).SelectMany(n => new[] { 8081 + n * 100 + offset, 8082 + n * 100 + offset, 8083 + n * 100 + offset, 8090 + n * 100 + offset }),
                .. Enumerable.Range(1, 4).Select(id => 11110 + id + offset),
            ];
            if (ports.All(port => !Listening(port)) || attempt == 20)
            {
                return offset;
            }
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        Repository.RunScriptAsync("infra/local/cluster.sh", arguments, new Dictionary<string, string>
        {
            ["PATH"] = _path,
            ["TRIBUTARY_CLUSTER_HOME"] = _home,
            ["TRIBUTARY_REDIS_PORT"] = _redisPort.ToString(CultureInfo.InvariantCulture),
            ["TRIBUTARY_PORT_OFFSET"] = _offset.ToString(CultureInfo.InvariantCulture),
            ["TRIBUTARY_NO_BUILD"] = "1",
            ["TRIBUTARY_CONFIGURATION"] = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name,
        });
}
