using System.Collections.Concurrent;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Gateway.Kafka.Topics;

/// <summary>
/// Topic descriptions for request handling, so a produce or fetch does not ask the topic grain every time. Entries
/// live for <see cref="TimeToLive"/>; changes made through this gateway invalidate them at once, changes made
/// elsewhere are seen within the time to live. An expired entry is refreshed by one call to the topic grain; when that
/// grain does not answer promptly (its silo has just died and membership has not yet said so) requests go on with the
/// entry they had, so partitions on live silos keep serving while the control plane recovers.
/// </summary>
public sealed class TopicCache(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(2);

    /// <summary>How long a request waits for the refresh of an expired entry before it uses the expired one.</summary>
    public static readonly TimeSpan RefreshWait = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, (TopicDescription? Topic, long Expires)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<TopicDescription?>> _refreshing = new(StringComparer.Ordinal);

    // A topic id names one topic for the topic's whole life, so the mapping never goes stale; a deleted topic's id
    // may linger here, and then its partitions answer UNKNOWN_TOPIC_OR_PARTITION.
    private readonly ConcurrentDictionary<Guid, string> _names = new();

    /// <summary>The topic, or null when it does not exist (as no topic of a name Kafka would refuse does).</summary>
    public ValueTask<TopicDescription?> DescribeAsync(string topic) => DescribeAsync(topic, force: false);

    /// <summary>
    /// The topic as its grain has it now, for a caller that learnt the entry here is out of date (a partition's grain
    /// no longer leads where the entry says it does): read again even before it expires, and, as an expired entry,
    /// kept when the grain does not answer within <see cref="RefreshWait"/>.
    /// </summary>
    public ValueTask<TopicDescription?> RefreshAsync(string topic) => DescribeAsync(topic, force: true);

    /// <summary>
    /// The topic read again, unless this entry was read within <see cref="RecheckInterval"/>: for a request whose
    /// partition the entry says another broker leads, since leadership may just have come here (the client learnt it
    /// from a broker that knew first). Bounded, so that a client that keeps asking the wrong broker costs one read of
    /// the topic per interval, not one per request.
    /// </summary>
    public ValueTask<TopicDescription?> RecheckAsync(string topic)
    {
        var recheckAfter = (long)((TimeToLive - RecheckInterval).TotalSeconds * time.TimestampFrequency);
        return _entries.TryGetValue(topic, out var entry) && entry.Expires - time.GetTimestamp() > recheckAfter
            ? ValueTask.FromResult(entry.Topic)
            : DescribeAsync(topic, force: true);
    }

    /// <summary>How recently read an entry <see cref="RecheckAsync"/> takes as it is.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(100);

    private async ValueTask<TopicDescription?> DescribeAsync(string topic, bool force)
    {
        if (TopicNames.Validate(topic) is not null)
        {
            return null;
        }

        var now = time.GetTimestamp();
        var known = _entries.TryGetValue(topic, out var entry);
        if (known && entry.Expires > now && !force)
        {
            return entry.Topic;
        }

        var refresh = Refresh(topic);
        if (!known || refresh.IsCompleted)
        {
            return await refresh;
        }

        return await Task.WhenAny(refresh, Task.Delay(RefreshWait, time)) == refresh ? await refresh : entry.Topic;
    }

    /// <summary>The refresh of the topic in flight, or a new one: one call to the topic grain at a time per topic.</summary>
    private Task<TopicDescription?> Refresh(string topic)
    {
        var started = new TaskCompletionSource<TopicDescription?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var refresh = _refreshing.GetOrAdd(topic, started.Task);
        if (refresh == started.Task)
        {
            _ = RunAsync(topic, started);
        }

        return refresh;
    }

    private async Task RunAsync(string topic, TaskCompletionSource<TopicDescription?> refresh)
    {
        try
        {
            var description = await grains.GetGrain<ITopicGrain>(topic).DescribeAsync();
            Set(topic, description);
            _refreshing.TryRemove(new KeyValuePair<string, Task<TopicDescription?>>(topic, refresh.Task));
            refresh.SetResult(description);
        }
        catch (Exception e)
        {
            _refreshing.TryRemove(new KeyValuePair<string, Task<TopicDescription?>>(topic, refresh.Task));
            refresh.SetException(e);
        }
    }

    private void Set(string topic, TopicDescription? description)
    {
        _entries[topic] = (description, time.GetTimestamp() + (long)(TimeToLive.TotalSeconds * time.TimestampFrequency));
        if (description is not null)
        {
            _names[description.TopicId] = topic;
        }
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

    public void Set(TopicDescription topic) => Set(topic.Name, topic);

    public void Invalidate(string topic) => _entries.TryRemove(topic, out _);
}
