using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Mirror.Topics;

namespace Tributary.Grains.Connect.Mirror.Clusters;

/// <summary>
/// <see cref="IMirrorClusters"/> over Confluent.Kafka admin clients, one per cluster. Metadata requests block in
/// librdkafka, so they run on the thread pool; the other calls are asynchronous already.
/// </summary>
internal sealed class KafkaMirrorClusters : IMirrorClusters
{
    private readonly IAdminClient _source;
    private readonly IAdminClient _target;
    private readonly TimeSpan _timeout;
    private readonly string _targetAlias;

    public KafkaMirrorClusters(MirrorSourceConfig config)
    {
        _timeout = config.AdminTimeout;
        _targetAlias = config.TargetAlias;
        _source = new AdminClientBuilder(config.Clients.SourceAdmin("replication-source-admin")).Build();
        try
        {
            _target = new AdminClientBuilder(config.Clients.TargetAdmin("replication-target-admin")).Build();
        }
        catch
        {
            _source.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyDictionary<string, int>> SourceTopicsAsync(CancellationToken cancellationToken) => TopicsAsync(_source, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> TargetTopicsAsync(CancellationToken cancellationToken) => TopicsAsync(_target, cancellationToken);

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<TopicConfigEntry>>> SourceTopicConfigsAsync(
        IReadOnlyCollection<string> topics, CancellationToken cancellationToken)
    {
        if (topics.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<TopicConfigEntry>>();
        }

        var results = await _source.DescribeConfigsAsync(
            topics.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t }),
            new DescribeConfigsOptions { RequestTimeout = _timeout }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return results.ToDictionary(
            r => r.ConfigResource.Name,
            r => (IReadOnlyList<TopicConfigEntry>)[.. r.Entries.Values.Select(e => new TopicConfigEntry(
                e.Name, e.Value, e.IsDefault || e.Source == ConfigSource.DefaultConfig, e.IsReadOnly, e.IsSensitive,
                e.Source == ConfigSource.StaticBrokerConfig))],
            StringComparer.Ordinal);
    }

    public async Task CreateTargetTopicsAsync(IReadOnlyList<NewRemoteTopic> topics, CancellationToken cancellationToken)
    {
        if (topics.Count == 0)
        {
            return;
        }

        try
        {
            await _target.CreateTopicsAsync(
                topics.Select(t => new TopicSpecification
                {
                    Name = t.Name,
                    NumPartitions = t.Partitions,
                    ReplicationFactor = t.ReplicationFactor,
                    Configs = new Dictionary<string, string>(t.Configs, StringComparer.Ordinal),
                }),
                new CreateTopicsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout }).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException e)
        {
            var failed = e.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists).ToList();
            if (failed.Count > 0)
            {
                // Kafka only warns; here a topic that cannot be created would be created by the first write with the
                // target's default partition count, and records keep their source partition, so the connector stops instead.
                throw new ConnectException(
                    $"Could not create remote topics on the {_targetAlias} cluster: " +
                    string.Join("; ", failed.Select(r => $"{r.Topic}: {r.Error.Code} {r.Error.Reason}")), e);
            }
        }
    }

    public async Task CreateTargetPartitionsAsync(IReadOnlyDictionary<string, int> partitionCounts, CancellationToken cancellationToken)
    {
        if (partitionCounts.Count == 0)
        {
            return;
        }

        try
        {
            await _target.CreatePartitionsAsync(
                partitionCounts.Select(p => new PartitionsSpecification { Topic = p.Key, IncreaseTo = p.Value }),
                new CreatePartitionsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout }).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CreatePartitionsException e)
        {
            // InvalidPartitions means the topic has that many already, which is normal (as in Kafka).
            var failed = e.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.InvalidPartitions).ToList();
            if (failed.Count > 0)
            {
                throw new ConnectException(
                    $"Could not add partitions to remote topics on the {_targetAlias} cluster: " +
                    string.Join("; ", failed.Select(r => $"{r.Topic}: {r.Error.Code} {r.Error.Reason}")), e);
            }
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    private async Task<IReadOnlyDictionary<string, int>> TopicsAsync(IAdminClient admin, CancellationToken cancellationToken)
    {
        var metadata = await Task.Run(() => admin.GetMetadata(_timeout), cancellationToken).ConfigureAwait(false);
        return metadata.Topics
            .Where(t => !t.Error.IsError && t.Partitions.Count > 0)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
    }
}
