using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>Confluent.Kafka clients of a cluster, and the waits that cluster tests share.</summary>
internal static class ClusterClients
{
    public static IAdminClient Admin(string bootstrap) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();

    public static IProducer<string, string> Producer(string bootstrap, int messageTimeoutMs = 30_000) =>
        new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            LingerMs = 5,
            MessageTimeoutMs = messageTimeoutMs,
        }).Build();

    public static IConsumer<string, string> Consumer(string bootstrap, string group) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            TopicMetadataRefreshIntervalMs = 1000,
        }).Build();

    public static async Task CreateTopicAsync(string bootstrap, string topic, int partitions)
    {
        using var admin = Admin(bootstrap);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>Waits until the broker at <paramref name="bootstrap"/> names <paramref name="partitions"/> partitions of the topic.</summary>
    public static async Task<Dictionary<int, int>> WaitForPartitionsAsync(string bootstrap, string topic, int partitions)
    {
        // Brokers learn of new partitions within their topic cache's time to live, as Kafka brokers do from the controller.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var leaders = Leaders(bootstrap, topic);
        while (leaders.Count != partitions && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            leaders = Leaders(bootstrap, topic);
        }

        return leaders;
    }

    /// <summary>Partition index → leader broker id, as the broker at <paramref name="bootstrap"/> says.</summary>
    public static Dictionary<int, int> Leaders(string bootstrap, string topic)
    {
        using var admin = Admin(bootstrap);
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return metadata.Topics.Single().Partitions.ToDictionary(p => p.PartitionId, p => p.Leader);
    }

    /// <summary>
    /// The partitions' leaders once every partition has one (silos started again take their partitions back one by
    /// one), or as they stand when <paramref name="timeout"/> has passed.
    /// </summary>
    public static async Task<Dictionary<int, int>> LeadersOnceElectedAsync(string bootstrap, string topic, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var leaders = Leaders(bootstrap, topic);
        while (leaders.Values.Any(leader => leader < 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            leaders = Leaders(bootstrap, topic);
        }

        return leaders;
    }

    /// <summary>Waits until the broker at <paramref name="bootstrap"/> names exactly <paramref name="brokerIds"/> as live brokers.</summary>
    public static async Task WaitForBrokersAsync(string bootstrap, IEnumerable<int> brokerIds, TimeSpan timeout)
    {
        var expected = brokerIds.Order().ToArray();
        var deadline = DateTime.UtcNow + timeout;
        int[] seen = [];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var admin = Admin(bootstrap);
                seen = admin.GetMetadata(TimeSpan.FromSeconds(5)).Brokers.Select(b => b.BrokerId).Order().ToArray();
            }
            catch (KafkaException)
            {
                // librdkafka asks any broker it knows, and one that has just died answers with a transport failure.
            }

            if (seen.SequenceEqual(expected))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{bootstrap} names brokers [{string.Join(",", seen)}], not [{string.Join(",", expected)}].");
    }

    /// <summary>Reads every partition of <paramref name="topic"/> from the beginning to its end, by assignment.</summary>
    public static List<ConsumeResult<string, string>> ReadAll(string bootstrap, string topic, IEnumerable<int> partitions, int expected)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                records.Add(result);
            }
        }

        return records;
    }

    /// <summary>
    /// Reads the partitions from the beginning with read_committed until each reports its end (the last stable offset):
    /// the values seen, and how many partitions reached their end.
    /// </summary>
    public static (List<string> Values, int Ended) ReadCommitted(string bootstrap, string topic, IEnumerable<int> partitions)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "committed-reader-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = true,
        }).Build();
        var assigned = partitions.ToList();
        consumer.Assign(assigned.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<string>();
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (ended.Count < assigned.Count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                if (result.IsPartitionEOF)
                {
                    ended.Add(result.Partition.Value);
                }
                else
                {
                    values.Add(result.Message.Value);
                }
            }
        }

        return (values, ended.Count);
    }
}
