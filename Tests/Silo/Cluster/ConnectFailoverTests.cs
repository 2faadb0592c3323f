using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// Kafka Connect on a three-silo cluster (processes on Redis, topics with three replicas): the silo running a source
/// task is killed with <c>kill -9</c>, and the task runs again on a survivor from its committed offsets, so every line
/// of the source file reaches the sink's file (at least once, in order per line of first appearance).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConnectFailoverTests(ConnectFailoverTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<ConnectFailoverTests.Fixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-connect-failover-").FullName;

    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task KilledSilo_ItsSourceTaskRunsAgainElsewhere_AndNoLineIsLost()
    {
        var input = Path.Combine(_directory, "in.txt");
        var output1 = Path.Combine(_directory, "out.txt");
        var before = Enumerable.Range(0, 200).Select(i => $"before {i}").ToList();
        await File.WriteAllLinesAsync(input, before);

        using var http = new HttpClient { BaseAddress = new Uri(Cluster.Silos[1].ConnectUrl) };
        Assert.Equal(201, (int)(await http.PutAsJsonAsync("/connectors/failover-source/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = input,
            ["topic"] = "failover-lines",
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        })).StatusCode);
        Assert.Equal(201, (int)(await http.PutAsJsonAsync("/connectors/failover-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSink",
            ["file"] = output1,
            ["topics"] = "failover-lines",
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        })).StatusCode);
        await WaitForLinesAsync(output1, before, TimeSpan.FromSeconds(60));

        var worker = await WorkerOfTaskAsync(http, "failover-source", TimeSpan.FromSeconds(10));
        var victim = Cluster.Silos.Single(s => worker.EndsWith(":" + s.Value.ConnectPort, StringComparison.Ordinal)).Key;
        output.WriteLine($"the source task runs on broker {victim} ({worker})");
        using var survivorHttp = new HttpClient { BaseAddress = new Uri(Cluster.Silos.First(s => s.Key != victim).Value.ConnectUrl) };

        await Cluster.KillAsync(victim);
        var killed = Stopwatch.StartNew();
        var after = Enumerable.Range(0, 100).Select(i => $"after {i}").ToList();
        await File.AppendAllLinesAsync(input, after);

        var moved = await WorkerOfTaskAsync(survivorHttp, "failover-source", TimeSpan.FromSeconds(60), not: worker);
        output.WriteLine($"the source task RUNNING on {moved} {killed.ElapsedMilliseconds} ms after the kill");
        await WaitForLinesAsync(output1, [.. before, .. after], TimeSpan.FromSeconds(60), () => StatusesAsync(survivorHttp));
        output.WriteLine($"every line in the sink's file {killed.ElapsedMilliseconds} ms after the kill");

        var written = File.ReadAllLines(output1);
        var firstSeen = written.Distinct().ToList();
        Assert.Equal([.. before, .. after], firstSeen);
        output.WriteLine($"{written.Length - firstSeen.Count} lines written twice (at-least-once: read again after the last offset commit)");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<string> StatusesAsync(HttpClient http)
    {
        var statuses = new List<string>();
        foreach (var connector in new[] { "failover-source", "failover-sink" })
        {
            try
            {
                statuses.Add(await http.GetStringAsync($"/connectors/{connector}/status"));
            }
            catch (HttpRequestException e)
            {
                statuses.Add($"{connector}: {e.Message}");
            }
        }

        return string.Join(Environment.NewLine, statuses);
    }

    private static async Task WaitForLinesAsync(string path, IReadOnlyCollection<string> expected, TimeSpan timeout, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path) && expected.All(new HashSet<string>(File.ReadAllLines(path)).Contains))
            {
                return;
            }

            await Task.Delay(200);
        }

        var have = File.Exists(path) ? File.ReadAllLines(path).Length : 0;
        var statuses = describe is null ? "" : Environment.NewLine + await describe();
        Assert.Fail($"{path} has {have} lines, not every one of the {expected.Count} expected, after {timeout.TotalSeconds} s{statuses}");
    }

    /// <summary>The worker a connector's task 0 reports RUNNING on (other than <paramref name="not"/>).</summary>
    private static async Task<string> WorkerOfTaskAsync(HttpClient http, string connector, TimeSpan timeout, string? not = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = JsonNode.Parse(await http.GetStringAsync($"/connectors/{connector}/status"))!;
                last = status.ToJsonString();
                var task = status["tasks"]!.AsArray().FirstOrDefault();
                if (task is not null && task["state"]!.GetValue<string>() == "RUNNING" && task["worker_id"]!.GetValue<string>() != not)
                {
                    return task["worker_id"]!.GetValue<string>();
                }
            }
            catch (HttpRequestException)
            {
                // The connector's grain may be on the silo that died: the call fails until it is activated elsewhere.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"task 0 of {connector} not RUNNING elsewhere than {not} within {timeout.TotalSeconds} s; last status {last}");
        return "";
    }

    /// <summary>Three silos whose topics get three replicas, with Connect committing offsets every half second.</summary>
    public sealed class Fixture : RedisClusterFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Tributary__DefaultReplicationFactor"] = "3",
            ["Tributary__MinInSyncReplicas"] = "2",
            ["Tributary__Connect__OffsetFlushIntervalMs"] = "500",
        };
    }
}
