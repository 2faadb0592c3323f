using System.Text.RegularExpressions;

namespace Tributary.Grains.RestConsumers;

/// <summary>
/// Subscription or manual assignment, as Kafka's SubscriptionState decides between them: subscribing while partitions
/// are assigned by hand, or assigning by hand while subscribed, is an illegal state.
/// </summary>
public sealed partial class RestConsumer
{
    private IReadOnlyList<string>? _topics;
    private string? _pattern;
    private Regex? _patternRegex;
    private IReadOnlyList<string> _subscribedTopics = [];
    private bool _manual;
    private List<TopicPartition> _assigned = [];

    /// <summary>Subscribed to topics or a pattern: the group assigns the partitions, once the membership has joined.</summary>
    public bool IsSubscribed => _topics is not null || _pattern is not null;

    /// <summary>The partitions the instance reads: its manual assignment, or what its group assigned it.</summary>
    public IReadOnlyList<TopicPartition> Assignment => _assigned;

    /// <summary>Subscribed, and the group has assigned nothing yet: a poll waits (up to its timeout) for partitions.</summary>
    public bool AwaitsAssignment => _assigned.Count == 0 && IsSubscribed;

    /// <summary>
    /// Subscribes to <paramref name="topics"/>, or to every topic matching <paramref name="pattern"/> (a whole-name regular
    /// expression), instead of any earlier subscription. The owner then restarts the membership: stops the one running
    /// (<see cref="StopMembership"/>, leaving the group) and starts one (<see cref="StartMembership"/>).
    /// </summary>
    public RestConsumerError Subscribe(IReadOnlyList<string>? topics, string? pattern)
    {
        if (BeginRequest() is var error && error != RestConsumerError.None)
        {
            return error;
        }

        if (_manual)
        {
            return RestConsumerError.IllegalState;
        }

        _topics = pattern is null ? topics ?? [] : null;
        _pattern = pattern;
        _patternRegex = null;
        return RestConsumerError.None;
    }

    /// <summary>
    /// The topics subscribed to: those named, else those the pattern matched at the last join. An instance that was
    /// never subscribed has none.
    /// </summary>
    public (RestConsumerError Error, IReadOnlyList<string> Topics) GetSubscription()
    {
        var error = BeginRequest();
        return error == RestConsumerError.None ? (error, _topics ?? _subscribedTopics) : (error, []);
    }

    /// <summary>
    /// Drops the subscription and the partitions; the owner then stops the membership, leaving the group. A manual
    /// assignment's partitions go too, but the instance stays one that assigns by hand: it cannot subscribe afterwards.
    /// </summary>
    public RestConsumerError Unsubscribe()
    {
        if (BeginRequest() is var error && error != RestConsumerError.None)
        {
            return error;
        }

        _topics = null;
        _pattern = null;
        _patternRegex = null;
        SetAssignment([]);
        return RestConsumerError.None;
    }

    /// <summary>Takes these partitions by hand (Kafka's assign()) instead of any earlier manual assignment.</summary>
    public RestConsumerError Assign(IReadOnlyList<TopicPartition> partitions)
    {
        if (BeginRequest() is var error && error != RestConsumerError.None)
        {
            return error;
        }

        if (IsSubscribed)
        {
            return RestConsumerError.IllegalState;
        }

        _manual = true;
        SetAssignment(partitions.Distinct().ToList());
        return RestConsumerError.None;
    }

    /// <summary>The partitions assigned (by hand or by the group), as they are now.</summary>
    public (RestConsumerError Error, IReadOnlyList<TopicPartition> Partitions) GetAssignment()
    {
        var error = BeginRequest();
        return error == RestConsumerError.None ? (error, _assigned.ToList()) : (error, []);
    }

    /// <summary>Positions of partitions that stay assigned are kept; the others are dropped.</summary>
    private void SetAssignment(List<TopicPartition> partitions)
    {
        _assigned = partitions;
        foreach (var gone in _positions.Keys.Except(partitions).ToList())
        {
            _positions.Remove(gone);
            _unanswered.Remove(gone);
        }
    }

    /// <summary>The topics to join with, in ordinal order: those named, or those of <paramref name="allTopics"/> the pattern matches.</summary>
    private List<string> ResolveTopics(IReadOnlyList<string>? allTopics)
    {
        if (_pattern is null)
        {
            return (_topics ?? []).Order(StringComparer.Ordinal).ToList();
        }

        _patternRegex ??= new Regex($"^(?:{_pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return (allTopics ?? []).Where(t => _patternRegex.IsMatch(t)).Order(StringComparer.Ordinal).ToList();
    }
}
