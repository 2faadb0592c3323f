namespace Tributary.Grains.Connect.Mirror.Policies;

/// <summary>
/// Kafka's <c>IdentityReplicationPolicy</c>: remote topics keep their names, for one-way replication such as a
/// migration. Names no longer tell where a topic came from, so cycles cannot be detected; every topic is taken to come
/// from <c>source.cluster.alias</c> when it is set. Heartbeat topics are still named as the default policy names them.
/// </summary>
public sealed class IdentityReplicationPolicy(string? sourceClusterAlias, string separator = DefaultReplicationPolicy.DefaultSeparator, bool internalTopicSeparatorEnabled = true)
    : DefaultReplicationPolicy(separator, internalTopicSeparatorEnabled)
{
    public new const string ClassName = "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";

    public override string FormatRemoteTopic(string sourceClusterAlias, string topic) =>
        LooksLikeHeartbeat(topic) ? base.FormatRemoteTopic(sourceClusterAlias, topic) : topic;

    public override string? TopicSource(string topic) => LooksLikeHeartbeat(topic) ? base.TopicSource(topic) : sourceClusterAlias;

    public override string? UpstreamTopic(string topic) => LooksLikeHeartbeat(topic) ? base.UpstreamTopic(topic) : topic;

    private bool LooksLikeHeartbeat(string topic) => topic.EndsWith(((IReplicationPolicy)this).HeartbeatsTopic, StringComparison.Ordinal);
}
