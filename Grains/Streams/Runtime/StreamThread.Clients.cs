using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime;

internal sealed partial class StreamThread
{
    private void CreateClients()
    {
        var configs = new StreamThreadConfigs(_config, _name, _transactionalId, Index);
        var (consumerConfig, memberConfig) = configs.Consumer();
        _member = new Group.GroupMember(Group.GroupMemberSettings.From(_config.BootstrapServers, _config.ApplicationId, consumerConfig.ClientId, memberConfig), _logger);
        _producer = new ProducerBuilder<byte[]?, byte[]?>(configs.Producer()).Build();
        _collector = new ProducerRecordCollector(_producer, _partitionCount);
        if (ExactlyOnce)
        {
            _producer.InitTransactions(ClientTimeout);
            _producer.BeginTransaction();
        }

        _restorer = new ChangelogRestorer(new ConsumerBuilder<byte[]?, byte[]?>(configs.Restore()).Build(), _name, _logger, _restoreListener);
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
