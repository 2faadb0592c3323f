namespace Tributary.Grains.Connect.Mirror.Topics;

/// <summary>
/// Which source topic configurations a newly created remote topic takes (Kafka's <c>DefaultConfigPropertyFilter</c>
/// with <c>use.defaults.from=target</c>, and <c>MirrorSourceConnector.targetConfig</c>): values set on the source,
/// neither read-only, secret nor from the source broker's static file, and not excluded by
/// <c>config.properties.exclude</c>. Defaults are left to the target cluster.
/// </summary>
internal sealed class TopicConfigFilter(IReadOnlyList<string> exclude)
{
    public const string ExcludeDefault =
        @"follower\.replication\.throttled\.replicas, leader\.replication\.throttled\.replicas, " +
        @"message\.timestamp\.difference\.max\.ms, message\.timestamp\.type, unclean\.leader\.election\.enable, min\.insync\.replicas";

    private readonly PatternList _exclude = new(exclude);

    public bool ShouldReplicateConfigProperty(string name) => !_exclude.Matches(name);

    public IReadOnlyDictionary<string, string> TargetConfigs(IEnumerable<TopicConfigEntry> source) =>
        source.Where(e => !e.IsDefault && !e.IsReadOnly && !e.IsSensitive && !e.IsStaticBrokerConfig && e.Value is not null)
            .Where(e => ShouldReplicateConfigProperty(e.Name))
            .ToDictionary(e => e.Name, e => e.Value!, StringComparer.Ordinal);
}
