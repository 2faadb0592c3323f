namespace Tributary.Grains.Connect.Mirror.Policies;

/// <summary>
/// How mirrored topics are named on the target cluster (Kafka's <c>ReplicationPolicy</c>): the remote name of a source
/// topic, and back from a remote name to the cluster and topic it came from, which is how cycles are avoided.
/// </summary>
public interface IReplicationPolicy
{
    /// <summary>The name <paramref name="topic"/> of cluster <paramref name="sourceClusterAlias"/> takes on the target.</summary>
    string FormatRemoteTopic(string sourceClusterAlias, string topic);

    /// <summary>The alias of the cluster a remote topic came from; null when the topic is not a remote topic.</summary>
    string? TopicSource(string topic);

    /// <summary>The name of a remote topic on the cluster it came from; null when the topic is not a remote topic.</summary>
    string? UpstreamTopic(string topic);

    string HeartbeatsTopic => "heartbeats";

    /// <summary>The topic's name where it was first written, following remote topics back over every hop.</summary>
    string OriginalTopic(string topic)
    {
        var upstream = UpstreamTopic(topic);
        return upstream is null || upstream == topic ? topic : OriginalTopic(upstream);
    }

    string CheckpointsTopic(string clusterAlias) => clusterAlias + ".checkpoints.internal";

    bool IsHeartbeatsTopic(string topic) => HeartbeatsTopic == OriginalTopic(topic);

    bool IsCheckpointsTopic(string topic) => topic.EndsWith(".checkpoints.internal", StringComparison.Ordinal);

    bool IsMirrorInternalTopic(string topic) => topic.EndsWith(".internal", StringComparison.Ordinal);

    /// <summary>Kafka's own topics (<c>__consumer_offsets</c>), Connect's (<c>connect-offsets-internal</c>) and MirrorMaker's.</summary>
    bool IsInternalTopic(string topic) =>
        IsMirrorInternalTopic(topic)
        || topic.StartsWith("__", StringComparison.Ordinal) || topic.StartsWith('.')
        || topic.EndsWith("-internal", StringComparison.Ordinal) || topic.EndsWith(".internal", StringComparison.Ordinal);
}
