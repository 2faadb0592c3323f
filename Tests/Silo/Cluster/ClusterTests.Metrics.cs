using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Tributary.Tests.Silo.Cluster;

public sealed partial class ClusterTests
{
    /// <summary>
    /// Each consumer group's lag is reported by exactly one broker of the cluster (its share, by a hash of the group's
    /// id), so that summing the brokers' /metrics counts every group once; and every group is reported by one.
    /// </summary>
    [Fact]
    public async Task EachGroupsLag_IsReportedByExactlyOneBroker()
    {
        const string Topic = "cluster-lag";
        string[] groups = [.. Enumerable.Range(0, 6).Select(i => $"cluster-lag-{i}")];
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 2, ReplicationFactor = 3 }]);
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, Acks = Acks.All }).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                await producer.ProduceAsync(new TopicPartition(Topic, i % 2), new Message<Null, string> { Value = $"r{i}" });
            }
        }

        foreach (var group in groups)
        {
            using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = group }).Build();
            consumer.Commit([new TopicPartitionOffset(Topic, 0, 3), new TopicPartitionOffset(Topic, 1, 4)]);
        }

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Dictionary<(string Group, string Partition), List<(int Broker, double Lag)>> reported;
        do
        {
            reported = [];
            foreach (var (broker, silo) in Cluster.Silos)
            {
                var text = await http.GetStringAsync($"http://127.0.0.1:{silo.HealthPort}/metrics");
                foreach (Match series in LagSeries().Matches(text))
                {
                    if (groups.Contains(series.Groups["group"].Value) && series.Groups["topic"].Value == Topic)
                    {
                        var key = (series.Groups["group"].Value, series.Groups["partition"].Value);
                        reported.TryAdd(key, []);
                        reported[key].Add((broker, double.Parse(series.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture)));
                    }
                }
            }

            if (reported.Count == groups.Length * 2)
            {
                break;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        output.WriteLine(string.Join("; ", reported.OrderBy(r => r.Key).Select(r => $"{r.Key.Group}/{r.Key.Partition}: {string.Join(",", r.Value.Select(v => $"broker {v.Broker} lag {v.Lag}"))}")));
        Assert.Equal(groups.Length * 2, reported.Count);
        Assert.All(reported, r => Assert.Single(r.Value));
        Assert.All(reported, r => Assert.Equal(r.Key.Partition == "0" ? 7 : 6, r.Value[0].Lag));

        // The six groups fall to more than one broker: the work is shared.
        Assert.True(reported.Values.Select(v => v[0].Broker).Distinct().Count() > 1);
    }

    /// <summary>
    /// The brokers' replica counts add up to the cluster's partitions: each partition led once, each replica held once,
    /// and the offline partitions reported by one broker only.
    /// </summary>
    [Fact]
    public async Task TheBrokersReplicaCounts_AddUpToTheClustersPartitions()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "cluster-counted", NumPartitions = 4, ReplicationFactor = 3 }]);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        (double Partitions, double Leaders, double UnderReplicated, double Offline) sums;
        (int Partitions, int Replicas) expected;
        do
        {
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            expected = (metadata.Topics.Sum(t => t.Partitions.Count), metadata.Topics.Sum(t => t.Partitions.Sum(p => p.Replicas.Length)));
            sums = (0, 0, 0, 0);
            foreach (var silo in Cluster.Silos.Values)
            {
                var text = await http.GetStringAsync($"http://127.0.0.1:{silo.HealthPort}/metrics");
                sums.Partitions += Gauge(text, "kafka_server_replicamanager_partitioncount");
                sums.Leaders += Gauge(text, "kafka_server_replicamanager_leadercount");
                sums.UnderReplicated += Gauge(text, "kafka_server_replicamanager_underreplicatedpartitions");
                sums.Offline += Gauge(text, "kafka_controller_kafkacontroller_offlinepartitionscount");
            }

            if (sums.Partitions == expected.Replicas && sums.Leaders == expected.Partitions && sums.UnderReplicated == 0)
            {
                break;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        output.WriteLine($"replicas {sums.Partitions} of {expected.Replicas}, leaders {sums.Leaders} of {expected.Partitions}, under-replicated {sums.UnderReplicated}");
        Assert.Equal(expected.Replicas, sums.Partitions);
        Assert.Equal(expected.Partitions, sums.Leaders);
        Assert.Equal(0, sums.UnderReplicated);
        Assert.Equal(0, sums.Offline);
    }

    /// <summary>A gauge's value in a Prometheus text scrape (0 when absent).</summary>
    private static double Gauge(string text, string name) =>
        Regex.Match(text, $@"^{name}(?:\{{[^}}]*\}})? (?<value>\S+)", RegexOptions.Multiline) is { Success: true } match
            ? double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    [GeneratedRegex("""^kafka_consumergroup_group_lag\{(?=[^}]*group="(?<group>[^"]*)")(?=[^}]*topic="(?<topic>[^"]*)")(?=[^}]*partition="(?<partition>[^"]*)")[^}]*\} (?<value>\S+)""", RegexOptions.Multiline)]
    private static partial Regex LagSeries();
}
