using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Mirror.Clusters;
using Tributary.Grains.Connect.Mirror.Topics;

namespace Tributary.Tests.Connect.Mirror.Support;

/// <summary>A source and a target cluster in memory: topics with partition counts, source configs, what was created.</summary>
internal sealed class FakeClusters : IMirrorClusters
{
    public Dictionary<string, int> Source { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Target { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyList<TopicConfigEntry>> SourceConfigs { get; } = new(StringComparer.Ordinal);

    public List<NewRemoteTopic> Created { get; } = [];

    public List<KeyValuePair<string, int>> Grown { get; } = [];

    /// <summary>Topics whose creation fails, as a target refusing the replication factor would.</summary>
    public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);

    public bool SourceDown { get; set; }

    public bool Disposed { get; private set; }

    public Task<IReadOnlyDictionary<string, int>> SourceTopicsAsync(CancellationToken cancellationToken) =>
        SourceDown
            ? throw new Confluent.Kafka.KafkaException(Confluent.Kafka.ErrorCode.Local_Transport)
            : Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(Source));

    public Task<IReadOnlyDictionary<string, int>> TargetTopicsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(Target));

    public Task<IReadOnlyDictionary<string, IReadOnlyList<TopicConfigEntry>>> SourceTopicConfigsAsync(
        IReadOnlyCollection<string> topics, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<TopicConfigEntry>>>(
            topics.Where(SourceConfigs.ContainsKey).ToDictionary(t => t, t => SourceConfigs[t]));

    public Task CreateTargetTopicsAsync(IReadOnlyList<NewRemoteTopic> topics, CancellationToken cancellationToken)
    {
        if (topics.FirstOrDefault(t => Refused.Contains(t.Name)) is { } refused)
        {
            throw new ConnectException($"Could not create remote topics on the target cluster: {refused.Name}: InvalidReplicationFactor");
        }

        foreach (var topic in topics)
        {
            Created.Add(topic);
            Target[topic.Name] = topic.Partitions;
        }

        return Task.CompletedTask;
    }

    public Task CreateTargetPartitionsAsync(IReadOnlyDictionary<string, int> partitionCounts, CancellationToken cancellationToken)
    {
        foreach (var grown in partitionCounts)
        {
            Grown.Add(grown);
            Target[grown.Key] = grown.Value;
        }

        return Task.CompletedTask;
    }

    public void Dispose() => Disposed = true;
}
