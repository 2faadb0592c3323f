using Confluent.Kafka;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>A topic's partitions as a broker's Metadata shows them (leader, replicas, ISR), and waits on them.</summary>
internal static class ClusterPartitions
{
    public static List<PartitionMetadata> Describe(string bootstrap, string topic)
    {
        using var admin = ClusterClients.Admin(bootstrap);
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.OrderBy(p => p.PartitionId).ToList();
    }

    /// <summary>Waits until the topic's <paramref name="count"/> partitions each have a leader and <paramref name="isr"/> in-sync replicas.</summary>
    public static Task<List<PartitionMetadata>> WaitForIsrAsync(string bootstrap, string topic, int count, int isr, TimeSpan timeout) =>
        WaitUntilAsync(bootstrap, topic, ps => ps.Count == count && ps.All(p => p.Leader >= 0 && p.InSyncReplicas.Length == isr), timeout);

    /// <summary>Waits until the partitions, as the broker at <paramref name="bootstrap"/> shows them, satisfy <paramref name="done"/>.</summary>
    public static async Task<List<PartitionMetadata>> WaitUntilAsync(
        string bootstrap, string topic, Func<List<PartitionMetadata>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<PartitionMetadata> partitions = [];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                partitions = Describe(bootstrap, topic);
                if (done(partitions))
                {
                    return partitions;
                }
            }
            catch (KafkaException)
            {
                // A broker that has just died answers with a transport failure.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("Partitions not as awaited: " + string.Join("; ", partitions.Select(p =>
            $"{p.PartitionId}: leader {p.Leader} replicas [{string.Join(",", p.Replicas)}] isr [{string.Join(",", p.InSyncReplicas)}]")));
    }

    /// <summary>The size of the partition's log on the broker, as its DescribeLogDirs reports it, or -1 when it names none.</summary>
    public static long LogSize(SiloCluster cluster, int brokerId, string topic, int partition)
    {
        using var client = new RawKafkaClient(cluster.KafkaPort(brokerId));
        var response = client.Call<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, 4, new DescribeLogDirsRequest
        {
            Topics = [new() { Topic = topic, Partitions = [partition] }],
        });
        return response.Results.SelectMany(r => r.Topics).SelectMany(t => t.Partitions).SingleOrDefault()?.PartitionSize ?? -1;
    }
}
