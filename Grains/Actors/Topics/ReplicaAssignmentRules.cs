using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Actors.Topics;

/// <summary>What a manual replica assignment decides: each partition's replicas in preference order, or Kafka's error and message.</summary>
public readonly record struct AssignmentDecision(ErrorCode Error, string? Message, IReadOnlyList<IReadOnlyList<int>> Replicas)
{
    public static AssignmentDecision Fail(ErrorCode error, string message) => new(error, message, []);
}

/// <summary>
/// Kafka's checks of a manual replica assignment and its registration of a new partition (the controller's
/// <c>ReplicationControlManager</c>), with its error codes and messages. A broker is "registered" when it has ever
/// joined the cluster (Kafka keeps a fenced broker's registration) and "live" while it is a member: every replica must
/// be registered, every partition of a topic has the same number of replicas, and a partition needs at least one live
/// replica, since only live replicas enter its first ISR and one of them leads.
/// </summary>
public static class ReplicaAssignmentRules
{
    /// <summary>CreateTopics' <c>assignments</c>: partitions 0..n-1, each on the brokers named.</summary>
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

        var replicasByPartition = new Dictionary<int, IReadOnlyList<int>>();
        int? replicas = null;
        foreach (var assignment in assignments)
        {
            if (replicasByPartition.ContainsKey(assignment.PartitionIndex))
            {
                return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                    $"Found multiple manual partition assignments for partition {assignment.PartitionIndex}");
            }

            if (Check(assignment.BrokerIds, replicas, registered, live, assignment.PartitionIndex) is { } invalid)
            {
                return invalid;
            }

            replicas = assignment.BrokerIds.Count;
            replicasByPartition[assignment.PartitionIndex] = [.. assignment.BrokerIds];
        }

        for (var partition = 0; partition < replicasByPartition.Count; partition++)
        {
            if (!replicasByPartition.ContainsKey(partition))
            {
                return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment, "partitions should be a consecutive 0-based integer sequence");
            }
        }

        return new AssignmentDecision(ErrorCode.None, null, [.. Enumerable.Range(0, replicasByPartition.Count).Select(p => replicasByPartition[p])]);
    }

    /// <summary>
    /// CreatePartitions' <c>assignments</c>: one per new partition, from partition <paramref name="current"/>, each with
    /// as many replicas as the topic's existing partitions have (<paramref name="replicationFactor"/>).
    /// </summary>
    public static AssignmentDecision ForNewPartitions(
        int current, int total, int replicationFactor, IReadOnlyList<IReadOnlyList<int>> assignments, ISet<int> registered, ISet<int> live)
    {
        var additional = total - current;
        if (assignments.Count != additional)
        {
            return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                $"Attempted to add {additional} additional partition(s), but only {assignments.Count} assignment(s) were specified.");
        }

        var added = new List<IReadOnlyList<int>>(additional);
        for (var i = 0; i < assignments.Count; i++)
        {
            if (Check(assignments[i], replicationFactor, registered, live, current + i) is { } invalid)
            {
                return invalid;
            }

            added.Add([.. assignments[i]]);
        }

        return new AssignmentDecision(ErrorCode.None, null, added);
    }

    /// <summary>
    /// Kafka's <c>buildPartitionRegistration</c> for a new partition: its ISR is its live replicas in preference order,
    /// and the first of them leads (the preferred leader when it is live), at epoch 0. A replica that is not live joins
    /// the ISR only once it has caught up, as a follower would after a restart.
    /// </summary>
    public static PartitionRegistration Register(IReadOnlyList<int> replicas, ISet<int> live)
    {
        var isr = replicas.Where(live.Contains).ToArray();
        if (isr.Length == 0)
        {
            throw new ArgumentException("A new partition needs a live replica to lead it.", nameof(live));
        }

        return new PartitionRegistration([.. replicas], isr, isr[0], 0, 0);
    }

    /// <summary>
    /// AlterPartitionReassignments' target replicas: Kafka's <c>validateManualPartitionAssignment</c> alone (a target may
    /// name brokers that are down: they catch up when they come back), or null when they pass.
    /// </summary>
    public static AssignmentDecision? ForReassignment(IReadOnlyList<int> target, ISet<int> registered) =>
        Check(target, replicas: null, registered, live: registered, partition: 0);

    /// <summary>
    /// Kafka's <c>validateManualPartitionAssignment</c> (a replica list that is not empty, of registered brokers, each
    /// once, of the expected size), then its refusal of a partition none of whose replicas is live.
    /// </summary>
    private static AssignmentDecision? Check(IReadOnlyList<int> brokerIds, int? replicas, ISet<int> registered, ISet<int> live, int partition)
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

        if (replicas is { } expected && brokerIds.Count != expected)
        {
            return AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                $"The manual partition assignment includes a partition with {brokerIds.Count} replica(s), but this is not consistent with previous partitions, which have {expected} replica(s).");
        }

        return brokerIds.Any(live.Contains)
            ? null
            : AssignmentDecision.Fail(ErrorCode.InvalidReplicaAssignment,
                $"All brokers specified in the manual partition assignment for partition {partition} are fenced or in controlled shutdown.");
    }
}
