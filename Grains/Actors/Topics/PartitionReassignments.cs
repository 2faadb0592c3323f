using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// An administrator's AlterPartitionReassignments on one topic, after Kafka's ReplicationControlManager: each named
/// partition's target checked (<see cref="ReplicaAssignmentRules.ForReassignment"/>) and started, or its reassignment
/// cancelled (<see cref="PartitionReassignment"/>), with one result per named partition; a partition the topic does
/// not have is UNKNOWN_TOPIC_OR_PARTITION. A partition named twice takes its last target.
/// </summary>
internal sealed class PartitionReassignments
{
    private readonly Dictionary<int, IReadOnlyList<int>?> _targets = [];
    private readonly ISet<int> _registered;
    private readonly Func<int, bool> _isLive;
    private readonly SortedDictionary<int, PartitionReassignmentResult> _results = [];

    public PartitionReassignments(
        string topic, IReadOnlyList<PartitionReassignmentTarget> targets, int partitionCount, ISet<int> registered, Func<int, bool> isLive)
    {
        _registered = registered;
        _isLive = isLive;
        foreach (var target in targets)
        {
            if (target.Partition < 0 || target.Partition >= partitionCount)
            {
                _results[target.Partition] = new PartitionReassignmentResult(target.Partition, ErrorCode.UnknownTopicOrPartition,
                    partitionCount == 0 ? $"Unable to find topic {topic}" : $"Unable to find partition {topic}:{target.Partition}.");
            }
            else
            {
                _targets[target.Partition] = target.Replicas;
            }
        }
    }

    /// <summary>One result per named partition, by partition index.</summary>
    public IReadOnlyList<PartitionReassignmentResult> Results => [.. _results.Values];

    /// <summary>The change to <paramref name="partition"/>, or null when it was not named or its target is refused; its result is recorded.</summary>
    public PartitionChange? Apply(int partition, PartitionRegistration current)
    {
        if (!_targets.TryGetValue(partition, out var target))
        {
            return null;
        }

        if (target is null)
        {
            var (cancelled, message) = PartitionReassignment.Cancel(current, _isLive);
            _results[partition] = new PartitionReassignmentResult(partition, cancelled.Error, message);
            return cancelled;
        }

        if (ReplicaAssignmentRules.ForReassignment(target, _registered) is { } refused)
        {
            _results[partition] = new PartitionReassignmentResult(partition, refused.Error, refused.Message);
            return null;
        }

        var change = PartitionReassignment.Start(current, target, _isLive);
        _results[partition] = new PartitionReassignmentResult(partition, change.Error, null);
        return change;
    }
}
