using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// The settings of a stream thread's clients, from the application's: <see cref="StreamsConfig.ClientConfig"/>
/// under each client's own dictionary, then what Kafka Streams fixes for each (its client ids, no auto-commit,
/// reading from the earliest offset, the isolation level and transactional id of the processing guarantee).
/// </summary>
internal sealed class StreamThreadConfigs(StreamsConfig config, string threadName, string transactionalId, int index)
{
    private bool ExactlyOnce => config.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2;

    /// <summary>
    /// The consumer's settings, and the group member's (the consumer's, with the thread's static id): the group is
    /// joined by the library's own member under the consumer's client id. Static membership (group.instance.id), as
    /// Kafka Streams makes it: one id per thread, the application's with the thread's number. A restarted instance
    /// that comes back within session.timeout.ms takes its place again with the same tasks, whose stores are on its disk.
    /// </summary>
    public (ConsumerConfig Consumer, Dictionary<string, string> Member) Consumer()
    {
        var consumer = new ConsumerConfig(Merged(config.ConsumerConfig))
        {
            BootstrapServers = config.BootstrapServers,
            // Read by the consumer for the committed offsets of the partitions it is assigned; the consumer never joins.
            GroupId = config.ApplicationId,
            ClientId = KafkaStreams.ConsumerClientId(threadName, config.ApplicationServer),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = ExactlyOnce ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
            EnablePartitionEof = false,
        }.FetchAgainWithin(config.PollInterval);
        var member = consumer.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
        if (consumer.GroupInstanceId is { Length: > 0 } instance)
        {
            member["group.instance.id"] = $"{instance}-{index}";
            consumer.GroupInstanceId = null;
        }

        return (consumer, member);
    }

    public ProducerConfig Producer()
    {
        var producer = new ProducerConfig(Merged(config.ProducerConfig))
        {
            BootstrapServers = config.BootstrapServers,
            ClientId = threadName + "-producer",
            LingerMs = 100,
            // Kafka's own partitioner, so that keys land where a Java application would put them.
            Partitioner = Partitioner.Murmur2Random,
        };
        // A delivery report needs only where the record landed and whether it failed (always given): not copying the
        // record's key, value, headers and time back for each one saves the delivery thread most of its work.
        producer.DeliveryReportFields ??= "none";
        if (ExactlyOnce)
        {
            producer.TransactionalId = transactionalId;
            producer.EnableIdempotence = true;
            // Kafka Streams' exactly-once default: a crashed instance's open transaction is aborted after 10 s, not
            // the producer's 60, so that read_committed readers (a successor's restore among them) are not held longer.
            producer.TransactionTimeoutMs ??= 10_000;
        }

        return producer;
    }

    /// <summary>The restore consumer's settings: assigned changelog partitions, never a member of a group.</summary>
    public ConsumerConfig Restore() => new ConsumerConfig(Merged(config.ConsumerConfig))
    {
        BootstrapServers = config.BootstrapServers,
        GroupId = config.ApplicationId + "-restore",
        ClientId = threadName + "-restore-consumer",
        EnableAutoCommit = false,
        IsolationLevel = ExactlyOnce ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
        EnablePartitionEof = false,
        GroupInstanceId = null,
    }.FetchAgainWithin(config.PollInterval);

    private Dictionary<string, string> Merged(IReadOnlyDictionary<string, string> specific)
    {
        var merged = new Dictionary<string, string>(config.ClientConfig);
        foreach (var (key, value) in specific)
        {
            merged[key] = value;
        }

        return merged;
    }
}
