namespace Tributary.Grains.Connect.Mirror.Policies;

/// <summary>
/// Kafka's <c>DefaultReplicationPolicy</c>: a remote topic is the source cluster's alias, the separator and the topic
/// (<c>us-west.orders</c>), so a topic's origin can be read from its name and a topic never flows back where it came from.
/// </summary>
public class DefaultReplicationPolicy : IReplicationPolicy
{
    public const string ClassName = "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
    public const string DefaultSeparator = ".";

    public DefaultReplicationPolicy(string separator = DefaultSeparator, bool internalTopicSeparatorEnabled = true)
    {
        Separator = string.IsNullOrEmpty(separator) ? DefaultSeparator : separator;
        InternalSeparator = internalTopicSeparatorEnabled ? Separator : DefaultSeparator;
    }

    public string Separator { get; }

    /// <summary>The separator in MirrorMaker's own topic names; '.' when a custom one is kept out of them.</summary>
    private string InternalSeparator { get; }

    private string InternalSuffix => InternalSeparator + "internal";

    private string CheckpointsSuffix => InternalSeparator + "checkpoints" + InternalSuffix;

    public virtual string FormatRemoteTopic(string sourceClusterAlias, string topic) => sourceClusterAlias + Separator + topic;

    /// <summary>The part before the first separator, as Java's <c>split</c> finds it; null when there is none.</summary>
    public virtual string? TopicSource(string topic)
    {
        // Java's split drops trailing empty parts, so "a." or "a.." has a single part and is no remote topic.
        var parts = topic.Split(Separator);
        var count = parts.Length;
        while (count > 0 && parts[count - 1].Length == 0)
        {
            count--;
        }

        return count < 2 ? null : parts[0];
    }

    public virtual string? UpstreamTopic(string topic) =>
        TopicSource(topic) is { } source ? topic[(source.Length + Separator.Length)..] : null;

    public string CheckpointsTopic(string clusterAlias) => clusterAlias + CheckpointsSuffix;

    public bool IsCheckpointsTopic(string topic) => topic.EndsWith(CheckpointsSuffix, StringComparison.Ordinal);

    public bool IsMirrorInternalTopic(string topic) => topic.EndsWith(InternalSuffix, StringComparison.Ordinal);
}
