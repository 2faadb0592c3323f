namespace Tributary.Grains.Connect.Mirror.Topics;

/// <summary>
/// Kafka's <c>DefaultTopicFilter</c>: a topic is replicated when <c>topics</c> matches it and <c>topics.exclude</c> does
/// not; excludes win.
/// </summary>
internal sealed class TopicFilter(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
{
    public const string IncludeDefault = ".*";
    public const string ExcludeDefault = @".*[\-\.]internal, .*\.replica, __.*";

    private readonly PatternList _include = new(include);
    private readonly PatternList _exclude = new(exclude);

    public bool ShouldReplicateTopic(string topic) => _include.Matches(topic) && !_exclude.Matches(topic);
}
