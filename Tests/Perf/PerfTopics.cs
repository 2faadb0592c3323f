using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Tributary.Tests.Perf;

/// <summary>Topics the load tool writes to, created when missing.</summary>
internal static class PerfTopics
{
    public static async Task EnsureAsync(string bootstrap, string topic, int partitions, short replicationFactor = 1)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        try
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = replicationFactor }]);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code == Confluent.Kafka.ErrorCode.TopicAlreadyExists))
        {
            // Left by an earlier run against the same broker.
        }
    }
}
