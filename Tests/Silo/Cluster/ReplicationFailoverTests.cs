using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// Topics replicated three times (min.insync.replicas=2) on three silo processes, written by an idempotent acks=all
/// producer while a leader is killed with <c>kill -9</c>, or paused past its failure detection and resumed (a zombie),
/// or comes back with an empty disk: new leaders are elected from the in-sync replicas within seconds, the producer
/// goes on after retriable errors only, every acknowledged record is read back once at the offset it was acknowledged
/// at, and the broker that was away catches up, rejoins the ISR and holds the same bytes as the others.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicationFailoverTests(RedisClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private const int Partitions = 6;

    private SiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task KilledLeader_NewLeadersFromTheIsr_NoAcknowledgedRecordLost_AndTheBrokerRejoinsWhenBack()
    {
        const string topic = "replicated";
        var before = await CreateAsync(topic);
        var victim = before[0].Leader;
        var victimPartitions = LedBy(before, victim);
        var survivors = Bootstrap(victim);
        var expandsBefore = await IsrExpandsAsync(except: victim);

        await using var load = new AcknowledgedLoad(Cluster.BootstrapServers, topic, Partitions);
        await Task.Delay(2000);
        await Cluster.KillAsync(victim);
        load.Mark();
        await load.WaitForAcknowledgementsAsync(victimPartitions, TimeSpan.FromSeconds(60));
        output.WriteLine($"broker {victim} led partitions [{string.Join(",", victimPartitions)}]; first acknowledged record on each after the kill: {Timings(load)}");
        WriteLogsIfAnyMissing(victimPartitions, load);
        Assert.All(victimPartitions, p => Assert.True(load.FirstAckAfterMark.ContainsKey(p), $"partition {p} took no record after the kill"));

        await Task.Delay(1000);
        await load.StopAsync();
        Assert.Empty(load.Failures);
        Assert.All(Describe(survivors, topic), p =>
        {
            Assert.NotEqual(victim, p.Leader);
            Assert.True(p.Leader >= 0, $"partition {p.PartitionId} has no leader");
            Assert.DoesNotContain(victim, p.InSyncReplicas);
        });
        var check = load.Check(survivors);
        output.WriteLine(check.ToString());
        Assert.True(check.Clean, check.ToString());

        // Back with its data directory, the broker catches up from the new leaders and rejoins every ISR.
        await Cluster.StartSiloAsync(victim);
        var rejoined = Stopwatch.StartNew();
        await WaitForIsrAsync(survivors, topic, 3, TimeSpan.FromSeconds(60));
        output.WriteLine($"broker {victim} back in every ISR {rejoined.ElapsedMilliseconds} ms after its restart began");
        await AssertSameBytesEverywhereAsync(topic);

        // The leaders that took it back into their ISRs counted the changes (IsrExpandsPerSec): one per partition, more
        // only if a follower under load fell out and came back meanwhile.
        var expands = await IsrExpandsAsync(except: victim) - expandsBefore;
        output.WriteLine($"ISR expansions counted by the other brokers: {expands}");
        Assert.InRange(expands, 1, 3 * Partitions);
    }

    /// <summary>The ISR expansions the cluster's brokers but one report at <c>/metrics</c>, summed.</summary>
    private async Task<double> IsrExpandsAsync(int except)
    {
        using var http = new HttpClient();
        var sum = 0.0;
        foreach (var (_, silo) in Cluster.Silos.Where(s => s.Key != except))
        {
            var text = await http.GetStringAsync($"http://127.0.0.1:{silo.HealthPort}/metrics");
            if (System.Text.RegularExpressions.Regex.Match(text, @"^kafka_server_replicamanager_isrexpands_total(?:\{[^}]*\})? (?<value>\S+)", System.Text.RegularExpressions.RegexOptions.Multiline) is { Success: true } match)
            {
                sum += double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    [Fact]
    public async Task PausedLeader_AcknowledgesNothingOnceReplaced_AndABrokerBackWithAnEmptyDiskCopiesEverything()
    {
        const string topic = "zombie";
        var before = await CreateAsync(topic);
        var victim = before[1].Leader;
        var victimPartitions = LedBy(before, victim);
        var survivors = Bootstrap(victim);

        await using var load = new AcknowledgedLoad(Cluster.BootstrapServers, topic, Partitions);
        await Task.Delay(2000);

        // Paused past failure detection: the others fence it and elect new leaders while it still believes it leads.
        var paused = Cluster.Silos[victim];
        paused.Pause();
        load.Mark();
        await load.WaitForAcknowledgementsAsync(victimPartitions, TimeSpan.FromSeconds(60));
        output.WriteLine($"broker {victim} paused; first acknowledged record on its partitions after: {Timings(load)}");
        WriteLogsIfAnyMissing(victimPartitions, load);
        Assert.All(victimPartitions, p => Assert.True(load.FirstAckAfterMark.ContainsKey(p), $"partition {p} took no record while its leader was paused"));

        // Resumed, the deposed leader finds itself declared dead and stops; whatever it still held is never acknowledged.
        await Task.Delay(3000);
        paused.Resume();
        await Task.Delay(3000);
        output.WriteLine($"broker {victim} resumed; exited by itself: {paused.HasExited}");
        await load.StopAsync();
        Assert.Empty(load.Failures);
        var check = load.Check(survivors);
        output.WriteLine(check.ToString());
        Assert.True(check.Clean, check.ToString());

        // Its disk lost: it comes back empty, copies every partition from the leaders and rejoins every ISR.
        await Cluster.KillAsync(victim);
        Cluster.WipeData(victim);
        await Cluster.StartSiloAsync(victim);
        var rejoined = Stopwatch.StartNew();
        await WaitForIsrAsync(survivors, topic, 3, TimeSpan.FromSeconds(60));
        output.WriteLine($"broker {victim}, back empty, in every ISR after {rejoined.ElapsedMilliseconds} ms");
        await AssertSameBytesEverywhereAsync(topic);
    }

    private async Task<List<PartitionMetadata>> CreateAsync(string topic)
    {
        await Cluster.StartStoppedAsync();
        using (var admin = ClusterClients.Admin(Cluster.BootstrapServers))
        {
            await admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = topic,
                NumPartitions = Partitions,
                ReplicationFactor = 3,
                Configs = new Dictionary<string, string> { ["min.insync.replicas"] = "2" },
            }]);
        }

        var partitions = await WaitForIsrAsync(Cluster.Silos[1].BootstrapServers, topic, 3, TimeSpan.FromSeconds(30));
        Assert.All(partitions, p => Assert.Equal(3, p.Replicas.Length));
        return partitions;
    }

    private static HashSet<int> LedBy(IEnumerable<PartitionMetadata> partitions, int broker) =>
        partitions.Where(p => p.Leader == broker).Select(p => p.PartitionId).ToHashSet();

    [Fact]
    public async Task RollingRestart_OneSiloAtATimeWaitingForTheIsr_LosesNothing_AndLeadershipMovesBeforeEachStop()
    {
        const string topic = "rolling";
        await CreateAsync(topic);
        await using var load = new AcknowledgedLoad(Cluster.BootstrapServers, topic, Partitions);
        await Task.Delay(2000);
        foreach (var broker in Cluster.Silos.Keys.Order().ToList())
        {
            var led = LedBy(Describe(Cluster.BootstrapServers, topic), broker);
            load.Mark();
            await Cluster.StopAsync(broker);

            // Its controlled shutdown handed leaderships over before it stopped: the others lead them already.
            var after = Describe(Bootstrap(broker), topic);
            Assert.All(led, p => Assert.NotEqual(broker, after[p].Leader));
            await load.WaitForAcknowledgementsAsync(led, TimeSpan.FromSeconds(30));
            output.WriteLine($"broker {broker} stopped; first acknowledgement on its partitions after: {Timings(load)}");

            // The gate a StatefulSet's rolling update waits for (its startup probe): every replica back in sync. On a
            // loaded 2-core machine the last idle replicas have taken more than a minute to rejoin (the probe's history
            // is printed on a timeout), so the gate waits as long as a startup probe's usual budget.
            await Cluster.StartSiloAsync(broker);
            try
            {
                output.WriteLine($"broker {broker} back: {await WaitForInSyncProbeAsync(broker, TimeSpan.FromSeconds(120))}");
            }
            catch (TimeoutException)
            {
                WriteLogs();
                throw;
            }

            await WaitForIsrAsync(Cluster.BootstrapServers, topic, 3, TimeSpan.FromSeconds(5));
        }

        await Task.Delay(1000);
        await load.StopAsync();
        Assert.Empty(load.Failures);
        var check = load.Check(Cluster.BootstrapServers);
        output.WriteLine(check.ToString());
        Assert.True(check.Clean, check.ToString());
    }

    /// <summary>Polls the broker's <c>/health/in-sync</c> until it answers 200; returns what it answered before and then.</summary>
    private async Task<string> WaitForInSyncProbeAsync(int broker, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var url = $"http://127.0.0.1:{Cluster.Silos[broker].HealthPort}/health/in-sync";
        var answers = new List<string>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(url);
            var answer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (answers.LastOrDefault() != answer)
            {
                answers.Add(answer);
            }

            if (response.IsSuccessStatusCode)
            {
                Assert.Matches("^200 in sync: [1-9][0-9]* replicas$", answer);
                return string.Join(" -> ", answers);
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"broker {broker} not in sync after {timeout}: {string.Join(" -> ", answers)}");
    }

    /// <summary>When a partition took no record in time, the running silos' recent log lines go to the test's output.</summary>
    private void WriteLogsIfAnyMissing(IEnumerable<int> partitions, AcknowledgedLoad load)
    {
        if (!partitions.All(load.FirstAckAfterMark.ContainsKey))
        {
            WriteLogs();
        }
    }

    /// <summary>The running silos' last 300 log lines, to the test's output.</summary>
    private void WriteLogs()
    {
        foreach (var (broker, silo) in Cluster.Silos.OrderBy(s => s.Key))
        {
            var lines = silo.Output.Split(Environment.NewLine);
            output.WriteLine($"--- broker {broker}, last {Math.Min(lines.Length, 300)} of {lines.Length} lines ---");
            output.WriteLine(string.Join(Environment.NewLine, lines.TakeLast(300)));
        }
    }

    private string Bootstrap(int without) =>
        string.Join(",", Cluster.Silos.Where(s => s.Key != without).Select(s => s.Value.BootstrapServers));

    private static string Timings(AcknowledgedLoad load) =>
        string.Join(", ", load.FirstAckAfterMark.OrderBy(f => f.Key).Select(f => $"{f.Key}: {f.Value} ms"));

    /// <summary>
    /// Followers hold the leaders' batches byte for byte: every broker's DescribeLogDirs names every partition (each has
    /// a replica on each of the three), with the same size on all three.
    /// </summary>
    private async Task AssertSameBytesEverywhereAsync(string topic)
    {
        var sizes = new Dictionary<int, long[]>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            sizes = Enumerable.Range(0, Partitions).ToDictionary(p => p, p => Cluster.Silos.Keys.Order().Select(b => ClusterPartitions.LogSize(Cluster, b, topic, p)).ToArray());
            if (sizes.Values.All(s => s.All(size => size > 0 && size == s[0])))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("Replica sizes differ: " + string.Join("; ", sizes.Select(p => $"{p.Key}: [{string.Join(",", p.Value)}]")));
    }

    private static List<PartitionMetadata> Describe(string bootstrap, string topic) => ClusterPartitions.Describe(bootstrap, topic);

    private static Task<List<PartitionMetadata>> WaitForIsrAsync(string bootstrap, string topic, int isr, TimeSpan timeout) =>
        ClusterPartitions.WaitForIsrAsync(bootstrap, topic, Partitions, isr, timeout);
}
