using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// An administrator's ElectLeaders on one topic, after Kafka's ReplicationControlManager.electLeaders: the controller's
/// rule for the election type applied to each requested partition (every partition when none are named), and one
/// result per requested partition; a partition index the topic does not have is UNKNOWN_TOPIC_OR_PARTITION.
/// </summary>
internal sealed class LeaderElections
{
    /// <summary>Kafka's ElectionType.PREFERRED.</summary>
    public const byte Preferred = 0;

    /// <summary>Kafka's ElectionType.UNCLEAN.</summary>
    public const byte Unclean = 1;

    private readonly byte _electionType;
    private readonly HashSet<int>? _requested;
    private readonly Func<int, bool> _isLive;
    private readonly SortedDictionary<int, LeaderElectionResult> _results = [];

    public LeaderElections(byte electionType, IReadOnlyList<int>? partitions, int partitionCount, Func<int, bool> isLive)
    {
        _electionType = electionType;
        _isLive = isLive;
        _requested = partitions?.ToHashSet();
        foreach (var partition in _requested?.Where(p => p < 0 || p >= partitionCount) ?? [])
        {
            _results[partition] = new LeaderElectionResult(partition, ErrorCode.UnknownTopicOrPartition, "This server does not host this topic-partition.");
        }
    }

    /// <summary>One result per requested partition, by partition index.</summary>
    public IReadOnlyList<LeaderElectionResult> Results => [.. _results.Values];

    /// <summary>The change to <paramref name="partition"/>, or null when it was not requested; its result is recorded.</summary>
    public PartitionChange? Elect(int partition, PartitionRegistration current)
    {
        if (_requested is not null && !_requested.Contains(partition))
        {
            return null;
        }

        var change = _electionType switch
        {
            Preferred => PartitionController.ElectPreferred(current, _isLive),
            Unclean => PartitionController.ElectUnclean(current, _isLive),
            _ => new PartitionChange(current, ErrorCode.InvalidRequest),
        };
        _results[partition] = new LeaderElectionResult(partition, change.Error, Message(change.Error));
        return change;
    }

    /// <summary>Kafka's default message for each error an election answers (ApiError's message when none is given).</summary>
    private string? Message(ErrorCode error) => error switch
    {
        ErrorCode.None => null,
        ErrorCode.ElectionNotNeeded => "Leader election not needed for topic partition.",
        ErrorCode.PreferredLeaderNotAvailable => "The preferred leader was not available.",
        ErrorCode.EligibleLeadersNotAvailable => "Eligible topic partition leaders are not available.",
        ErrorCode.InvalidRequest => $"Unknown election type {_electionType}.",
        _ => null,
    };
}
