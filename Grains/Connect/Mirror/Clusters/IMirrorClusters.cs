using Tributary.Grains.Connect.Mirror.Topics;

namespace Tributary.Grains.Connect.Mirror.Clusters;

/// <summary>
/// What the connector asks of the source and target clusters' admin APIs (MirrorMaker's source and target
/// <c>Admin</c> clients); tests give it clusters in memory. Every call throws when the cluster does not answer in time.
/// </summary>
public interface IMirrorClusters : IDisposable
{
    /// <summary>Every topic of the source cluster with its partition count.</summary>
    Task<IReadOnlyDictionary<string, int>> SourceTopicsAsync(CancellationToken cancellationToken);

    /// <summary>Every topic of the target cluster with its partition count.</summary>
    Task<IReadOnlyDictionary<string, int>> TargetTopicsAsync(CancellationToken cancellationToken);

    /// <summary>The configurations of these source topics, as DescribeConfigs reports them.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<TopicConfigEntry>>> SourceTopicConfigsAsync(
        IReadOnlyCollection<string> topics, CancellationToken cancellationToken);

    /// <summary>Creates topics on the target; one that exists already is no error. Throws for any other failure.</summary>
    Task CreateTargetTopicsAsync(IReadOnlyList<NewRemoteTopic> topics, CancellationToken cancellationToken);

    /// <summary>Grows target topics to these partition counts; one already that large is no error.</summary>
    Task CreateTargetPartitionsAsync(IReadOnlyDictionary<string, int> partitionCounts, CancellationToken cancellationToken);
}

/// <summary>A remote topic to create: its name, the source's partition count, and the source configs it takes.</summary>
public sealed record NewRemoteTopic(string Name, int Partitions, short ReplicationFactor, IReadOnlyDictionary<string, string> Configs);
