using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Mirror.Clusters;

namespace Tributary.Grains.Connect.Mirror.Topics;

/// <summary>
/// The topic-partitions the connector replicates and their remote topics (Kafka's <c>MirrorSourceConnector</c>
/// refresh): finds the source topics to replicate, creates missing remote topics with the source's partition count
/// (and configs) and grows remote topics whose source gained partitions. Thread-safe: the refresh runs on a timer while
/// the runtime reads <see cref="Known"/>.
/// </summary>
internal sealed class RemoteTopics(MirrorSourceConfig config, IMirrorClusters clusters)
{
    private volatile IReadOnlyList<TopicPartition> _known = [];

    /// <summary>The source topic-partitions found by the last successful refresh, ordered by topic and partition.</summary>
    public IReadOnlyList<TopicPartition> Known => _known;

    /// <summary>
    /// Looks at both clusters again; true when the source's topic-partitions changed or remote ones were missing, in
    /// which case the remote topics were created or grown and the tasks should be reconfigured.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var source = (await clusters.SourceTopicsAsync(cancellationToken).ConfigureAwait(false))
            .Where(t => ShouldReplicateTopic(t.Key))
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var checkpoints = config.Policy.CheckpointsTopic(config.SourceAlias);
        var target = (await clusters.TargetTopicsAsync(cancellationToken).ConfigureAwait(false))
            .Where(t => config.Policy.TopicSource(t.Key) == config.SourceAlias && t.Key != checkpoints)
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

        var sourcePartitions = Expand(source);
        var missingInTarget = source.Any(t => target.GetValueOrDefault(FormatRemoteTopic(t.Key)) < t.Value);
        if (sourcePartitions.SequenceEqual(_known) && !missingInTarget)
        {
            return false;
        }

        // Remote topics first: a task writing before its topic exists would have it created with the target's defaults.
        await CreateRemoteTopicsAsync(source, target, cancellationToken).ConfigureAwait(false);
        _known = sourcePartitions;
        return true;
    }

    /// <summary>
    /// Kafka's <c>shouldReplicateTopic</c>: chosen by the filter (or a heartbeats topic), not internal, and not a remote
    /// topic of the target itself, which would replicate in a cycle.
    /// </summary>
    public bool ShouldReplicateTopic(string topic) =>
        (config.TopicFilter.ShouldReplicateTopic(topic) || (config.ReplicateHeartbeats && config.Policy.IsHeartbeatsTopic(topic)))
        && !config.Policy.IsInternalTopic(topic)
        && !IsCycle(topic);

    public string FormatRemoteTopic(string topic) => config.Policy.FormatRemoteTopic(config.SourceAlias, topic);

    /// <summary>Whether the topic came from the target cluster, following remote topics back over every hop.</summary>
    private bool IsCycle(string topic)
    {
        while (true)
        {
            var source = config.Policy.TopicSource(topic);
            if (source is null)
            {
                return false;
            }

            if (source == config.TargetAlias)
            {
                return true;
            }

            var upstream = config.Policy.UpstreamTopic(topic);
            if (upstream is null || upstream == topic)
            {
                // The identity policy cannot tell where a topic came from; it cannot prevent cycles.
                return false;
            }

            topic = upstream;
        }
    }

    private async Task CreateRemoteTopicsAsync(
        Dictionary<string, int> source, Dictionary<string, int> target, CancellationToken cancellationToken)
    {
        var newTopics = source.Keys.Where(t => !target.ContainsKey(FormatRemoteTopic(t))).Order(StringComparer.Ordinal).ToList();
        if (newTopics.Count > 0)
        {
            var configs = config.SyncTopicConfigs
                ? await clusters.SourceTopicConfigsAsync(newTopics, cancellationToken).ConfigureAwait(false)
                : new Dictionary<string, IReadOnlyList<TopicConfigEntry>>();
            await clusters.CreateTargetTopicsAsync(
                [.. newTopics.Select(t => new NewRemoteTopic(
                    FormatRemoteTopic(t), source[t], config.TopicReplicationFactor,
                    configs.TryGetValue(t, out var entries) ? config.ConfigFilter.TargetConfigs(entries) : new Dictionary<string, string>()))],
                cancellationToken).ConfigureAwait(false);
        }

        var grown = source
            .Where(t => target.TryGetValue(FormatRemoteTopic(t.Key), out var count) && t.Value > count)
            .ToDictionary(t => FormatRemoteTopic(t.Key), t => t.Value, StringComparer.Ordinal);
        await clusters.CreateTargetPartitionsAsync(grown, cancellationToken).ConfigureAwait(false);
    }

    private static List<TopicPartition> Expand(Dictionary<string, int> topics) =>
        [.. topics.OrderBy(t => t.Key, StringComparer.Ordinal).SelectMany(t => Enumerable.Range(0, t.Value).Select(p => new TopicPartition(t.Key, p)))];
}
