using System.Collections.Concurrent;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Topics;

/// <summary>
/// Topic descriptions for request handling, so a produce or fetch does not ask the topic grain every time. Entries
/// live for <see cref="TimeToLive"/>; changes made through this gateway invalidate them at once, changes made
/// elsewhere are seen within the time to live.
/// </summary>
public sealed class TopicCache(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (TopicDescription? Topic, long Expires)> _entries = new(StringComparer.Ordinal);

    // A topic id names one topic for the topic's whole life, so the mapping never goes stale; a deleted topic's id
    // may linger here, and then its partitions answer UNKNOWN_TOPIC_OR_PARTITION.
    private readonly ConcurrentDictionary<Guid, string> _names = new();

    /// <summary>The topic, or null when it does not exist.</summary>
    public async ValueTask<TopicDescription?> DescribeAsync(string topic)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(topic, out var entry) && entry.Expires > now)
        {
            return entry.Topic;
        }

        var description = await grains.GetGrain<ITopicGrain>(topic).DescribeAsync();
        _entries[topic] = (description, now + (long)(TimeToLive.TotalSeconds * time.TimestampFrequency));
        if (description is not null)
        {
            _names[description.TopicId] = topic;
        }

        return description;
    }

    /// <summary>The name of the topic with this id, or null (Fetch v13+ names topics by id).</summary>
    public async ValueTask<string?> NameOfAsync(Guid topicId)
    {
        if (_names.TryGetValue(topicId, out var name))
        {
            return name;
        }

        name = await grains.GetGrain<ITopicCatalogGrain>(0).FindByIdAsync(topicId);
        if (name is not null)
        {
            _names[topicId] = name;
        }

        return name;
    }

    public void Set(TopicDescription topic) =>
        _entries[topic.Name] = (topic, time.GetTimestamp() + (long)(TimeToLive.TotalSeconds * time.TimestampFrequency));

    public void Invalidate(string topic) => _entries.TryRemove(topic, out _);
}
