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
        return description;
    }

    public void Set(TopicDescription topic) =>
        _entries[topic.Name] = (topic, time.GetTimestamp() + (long)(TimeToLive.TotalSeconds * time.TimestampFrequency));

    public void Invalidate(string topic) => _entries.TryRemove(topic, out _);
}
