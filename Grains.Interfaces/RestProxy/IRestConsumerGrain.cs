using Orleans.Concurrency;

namespace Tributary.Grains.Interfaces.RestProxy;

/// <summary>
/// One REST Proxy consumer instance (key: <see cref="RestConsumerKeys.Of"/>), a member of its Kafka group through the
/// same group coordinator as native consumers, so one group may mix both. Any gateway node can serve its requests;
/// it expires after <c>consumer.instance.timeout.ms</c> without one.
/// </summary>
[Alias("Tributary.RestProxy.IRestConsumerGrain")]
public interface IRestConsumerGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<int> CreateAsync(RestConsumerConfig config);

    /// <summary>The instance's settings, or null when it does not exist.</summary>
    [Alias("GetConfig")]
    Task<RestConsumerConfig?> GetConfigAsync();

    [Alias("Delete")]
    Task<int> DeleteAsync();

    /// <summary>Subscribes to topics, or to every topic matching a pattern; the group assigns the partitions.</summary>
    [Alias("Subscribe")]
    Task<int> SubscribeAsync(IReadOnlyList<string>? topics, string? pattern);

    [Alias("GetSubscription")]
    Task<RestResult<IReadOnlyList<string>>> GetSubscriptionAsync();

    [Alias("Unsubscribe")]
    Task<int> UnsubscribeAsync();

    /// <summary>Takes these partitions without the group's assignment (Kafka's assign()).</summary>
    [Alias("Assign")]
    Task<int> AssignAsync(IReadOnlyList<RestTopicPartition> partitions);

    [Alias("GetAssignments")]
    Task<RestResult<IReadOnlyList<RestTopicPartition>>> GetAssignmentsAsync();

    [Alias("Seek")]
    Task<int> SeekAsync(IReadOnlyList<RestPosition> positions);

    /// <summary>To the beginning (log start) or the end (high watermark) of each partition.</summary>
    [Alias("SeekTo")]
    Task<int> SeekToAsync(IReadOnlyList<RestTopicPartition> partitions, bool beginning);

    /// <summary>Records from the assigned partitions: at most about <paramref name="maxBytes"/>, waiting up to <paramref name="timeout"/> for the first.</summary>
    [Alias("Poll"), ResponseTimeout(LongCalls.ClientBoundedWait)]
    Task<RestResult<IReadOnlyList<RestConsumedRecord>>> PollAsync(int maxBytes, TimeSpan timeout);

    /// <summary>
    /// The last poll's records were answered (or the instance moved back to those that could not be): until then, a
    /// commit before a rebalance or on close commits where the poll began. One-way: nothing waits for it.
    /// </summary>
    [Alias("Answered"), OneWay]
    Task AnsweredAsync();

    /// <summary>Commits these offsets, or (null) every partition's position after what was consumed.</summary>
    [Alias("Commit")]
    Task<RestResult<IReadOnlyList<RestCommitted>>> CommitAsync(IReadOnlyList<RestPosition>? offsets);

    [Alias("GetCommitted")]
    Task<RestResult<IReadOnlyList<RestPosition>>> GetCommittedAsync(IReadOnlyList<RestTopicPartition> partitions);
}

/// <summary>Consumer instance grain keys: the group and the instance name, which may hold any character but the separator.</summary>
public static class RestConsumerKeys
{
    private const char Separator = '\u001f';

    public static string Of(string group, string instance) => group + Separator + instance;

    public static (string Group, string Instance) Parse(string key)
    {
        var at = key.LastIndexOf(Separator);
        return (key[..at], key[(at + 1)..]);
    }
}
