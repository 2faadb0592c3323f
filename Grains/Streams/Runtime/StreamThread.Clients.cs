using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime;

internal sealed partial class StreamThread
{
    private void CreateClients()
    {
        var consumerConfig = new ConsumerConfig(Merged(_config.ConsumerConfig))
        {
            BootstrapServers = _config.BootstrapServers,
            // Read by the consumer for the committed offsets of the partitions it is assigned; the consumer never joins.
            GroupId = _config.ApplicationId,
            ClientId = KafkaStreams.ConsumerClientId(_name, _config.ApplicationServer),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = ExactlyOnce ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
            EnablePartitionEof = false,
        }.FetchAgainWithin(_config.PollInterval);

        // The group is joined by the library's own member, under the consumer's client id and settings. Static
        // membership (group.instance.id), as Kafka Streams makes it: one id per thread, the application's with the
        // thread's number. A restarted instance that comes back within session.timeout.ms takes its place again with
        // the same tasks, whose stores are on its disk.
        var memberConfig = new Dictionary<string, string>(consumerConfig.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));
        if (consumerConfig.GroupInstanceId is { Length: > 0 } instance)
        {
            memberConfig["group.instance.id"] = $"{instance}-{Index}";
            consumerConfig.GroupInstanceId = null;
        }

        _member = new Group.GroupMember(Group.GroupMemberSettings.From(_config.BootstrapServers, _config.ApplicationId, consumerConfig.ClientId, memberConfig), _logger);

        var producerConfig = new ProducerConfig(Merged(_config.ProducerConfig))
        {
            BootstrapServers = _config.BootstrapServers,
            ClientId = _name + "-producer",
            LingerMs = 100,
            // Kafka's own partitioner, so that keys land where a Java application would put them.
            Partitioner = Partitioner.Murmur2Random,
        };
        // A delivery report needs only where the record landed and whether it failed (always given): not copying the
        // record's key, value, headers and time back for each one saves the delivery thread most of its work.
        producerConfig.DeliveryReportFields ??= "none";
        if (ExactlyOnce)
        {
            producerConfig.TransactionalId = _transactionalId;
            producerConfig.EnableIdempotence = true;
            // Kafka Streams' exactly-once default: a crashed instance's open transaction is aborted after 10 s, not
            // the producer's 60, so that read_committed readers (a successor's restore among them) are not held longer.
            producerConfig.TransactionTimeoutMs ??= 10_000;
        }

        _producer = new ProducerBuilder<byte[]?, byte[]?>(producerConfig).Build();
        _collector = new ProducerRecordCollector(_producer, _partitionCount);
        if (ExactlyOnce)
        {
            _producer.InitTransactions(ClientTimeout);
            _producer.BeginTransaction();
        }

        var restoreConfig = new ConsumerConfig(Merged(_config.ConsumerConfig))
        {
            BootstrapServers = _config.BootstrapServers,
            GroupId = _config.ApplicationId + "-restore",
            ClientId = _name + "-restore-consumer",
            EnableAutoCommit = false,
            IsolationLevel = consumerConfig.IsolationLevel,
            EnablePartitionEof = false,
            // Assigned, never a member of a group.
            GroupInstanceId = null,
        }.FetchAgainWithin(_config.PollInterval);
        _restorer = new ChangelogRestorer(new ConsumerBuilder<byte[]?, byte[]?>(restoreConfig).Build(), _name, _logger, _restoreListener);
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(consumerConfig).Build();
    }

    /// <summary>
    /// Has the consumer learn where the source topics' partitions are before it is first assigned any: a consumer
    /// that never subscribes looks a partition's leader up only once assigned, which held the first fetch back by a
    /// second.
    /// </summary>
    private void LearnSourceTopics()
    {
        using var metadata = new DependentAdminClientBuilder(_consumer!.Handle).Build();
        foreach (var topic in _groups.SourceTopics.Order(StringComparer.Ordinal))
        {
            metadata.GetMetadata(topic, ClientTimeout);
        }
    }

    private Dictionary<string, string> Merged(IReadOnlyDictionary<string, string> specific)
    {
        var merged = new Dictionary<string, string>(_config.ClientConfig);
        foreach (var (key, value) in specific)
        {
            merged[key] = value;
        }

        return merged;
    }

    private void CloseClients()
    {
        if (_member is { } member)
        {
            try
            {
                using var leaving = new CancellationTokenSource(ClientTimeout);
                member.LeaveAsync(leaving.Token).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is KafkaException or IOException or OperationCanceledException)
            {
                StreamsRuntimeLog.CloseFailed(_logger, _name, e.Message);
            }

            member.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        try
        {
            _consumer?.Close();
        }
        catch (KafkaException e)
        {
            StreamsRuntimeLog.CloseFailed(_logger, _name, e.Message);
        }

        _consumer?.Dispose();
        _producer?.Dispose();
        _restorer?.Dispose();
    }
}
