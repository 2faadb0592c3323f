using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Actors.Topics;

/// <summary>What a manual replica assignment decides: the broker of each partition, or Kafka's error and message.</summary>
public readonly record struct AssignmentDecision(ErrorCode Error, string? Message, IReadOnlyList<int> Brokers)
{
    public static AssignmentDecision Fail(ErrorCode error, string message) => new(error, message, []);
}

/// <summary>
/// Kafka's checks of a manual replica assignment (the controller's <c>ReplicationControlManager</c>), with its error
/// codes and messages, and the one rule of this broker: a partition has exactly one replica, since there is no
/// replication yet. A broker is "registered" when it has ever joined the cluster (Kafka keeps a fenced broker's
/// registration) and "live" while it is a member; a partition may be placed only on a live broker.
/// </summary>
public static class ReplicaAssignmentRules
{
    /// <summary>CreateTopics' <c>assignments</c>: partitions 0..n-1, each on the one broker named.</summary>
    public static AssignmentDecision ForNewTopic(
        int numPartitions, short replicationFactor, IReadOnlyList<ReplicaAssignment> assignments, ISet<int> registered, ISet<int> live)
    {
        if (replicationFactor != -1)
        {
            return AssignmentDecision.Fail(ErrorCode.InvalidRequest, "A manual partition assignment was specified, but replication factor was not set to -1.");
        }

        if (numPartitions != -1)
        {
            return AssignmentDecision.Fail(ErrorCode.InvalidRequest, "A manual partition assignment was specified, but numPartitions was not set to -1.");
        }

        var brokers = new Dictionary<int, int>();
        int? replicas = null;
        foreach (var assignment in assignments)
        {
            if (brokers.ContainsKey(assignment.PartitionIndex))
            {
                return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                    $"Found multiple manual partition assignments for partition {assignment.PartitionIndex}");
            }

            if (Check(assignment.BrokerIds, replicas, registered) is { } invalid)
            {
                return invalid;
            }

            replicas = assignment.BrokerIds.Count;
            if (replicas != 1)
            {
                return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                    $"The manual partition assignment includes a partition with {replicas} replica(s), but a partition has exactly 1 replica here: replication is not supported yet.");
            }

            if (!live.Contains(assignment.BrokerIds[0]))
            {
                return NotLive(assignment.PartitionIndex);
            }

            brokers[assignment.PartitionIndex] = assignment.BrokerIds[0];
        }

        for (var partition = 0; partition < brokers.Count; partition++)
        {
            if (!brokers.ContainsKey(partition))
            {
                return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment, "partitions should be a consecutive 0-based integer sequence");
            }
        }

        return new AssignmentDecision(ErrorCode.None, null, Enumerable.Range(0, brokers.Count).Select(p => brokers[p]).ToList());
    }

    /// <summary>CreatePartitions' <c>assignments</c>: one per new partition, from partition <paramref name="current"/>, each of the topic's one replica.</summary>
    public static AssignmentDecision ForNewPartitions(
        int current, int total, IReadOnlyList<IReadOnlyList<int>> assignments, ISet<int> registered, ISet<int> live)
    {
        var additional = total - current;
        if (assignments.Count != additional)
        {
            return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                $"Attempted to add {additional} additional partition(s), but only {assignments.Count} assignment(s) were specified.");
        }

        var brokers = new List<int>(additional);
        for (var i = 0; i < assignments.Count; i++)
        {
            // Every existing partition has one replica, so Kafka's own consistency check refuses any other count.
            if (Check(assignments[i], 1, registered) is { } invalid)
            {
                return invalid;
            }

            if (!live.Contains(assignments[i][0]))
            {
                return NotLive(current + i);
            }

            brokers.Add(assignments[i][0]);
        }

        return new AssignmentDecision(ErrorCode.None, null, brokers);
    }

    /// <summary>Kafka's <c>validateManualPartitionAssignment</c>: a replica list that is not empty, of registered brokers, each once, of the expected size.</summary>
    private static AssignmentDecision? Check(IReadOnlyList<int> brokerIds, int? replicas, ISet<int> registered)
    {
        if (brokerIds.Count == 0)
        {
            return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment, "The manual partition assignment includes an empty replica list.");
        }

        int? previous = null;
        foreach (var brokerId in brokerIds.Order())
        {
            if (!registered.Contains(brokerId))
            {
                return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                    $"The manual partition assignment includes broker {brokerId}, but no such broker is registered.");
            }

            if (brokerId == previous)
            {
                return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                    $"The manual partition assignment includes the broker {brokerId} more than once.");
            }

            previous = brokerId;
        }

        return replicas is { } expected && brokerIds.Count != expected
            ? AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                $"The manual partition assignment includes a partition with {brokerIds.Count} replica(s), but this is not consistent with previous partitions, which have {expected} replica(s).")
            : null;
    }

    private static AssignmentDecision NotLive(int partition) => AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
        $"All brokers specified in the manual partition assignment for partition {partition} are fenced or in controlled shutdown.");
}
