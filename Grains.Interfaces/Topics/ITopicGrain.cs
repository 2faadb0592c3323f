namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// A topic's metadata: its id, partition count, config overrides and where each partition lives. Keyed by the
/// topic name. The source of truth for "does this topic exist".
/// </summary>
[Alias("Tributary.Topics.ITopicGrain")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>Creates the topic, or with <see cref="CreateTopicRequest.ValidateOnly"/> only checks that it could be.</summary>
    [Alias("Create")]
    Task<CreateTopicResult> CreateAsync(CreateTopicRequest request);

    /// <summary>The topic, or null when it does not exist.</summary>
    [Alias("Describe")]
    Task<TopicDescription?> DescribeAsync();
}
