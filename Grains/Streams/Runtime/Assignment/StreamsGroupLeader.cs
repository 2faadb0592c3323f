using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// What a stream thread does when the group makes it leader: for the <c>stream</c> protocol, the application's tasks,
/// the changelogs' end offsets and the high-availability assignment (<see cref="StreamsPartitionAssignor"/>); for
/// <c>cooperative-sticky</c>, chosen while threads of an earlier version remain, the anchor partitions
/// (<see cref="CooperativeStickyAssignor"/>).
/// </summary>
internal sealed class StreamsGroupLeader(
    Topology topology,
    StreamsConfig config,
    CopartitionGroups groups,
    Func<string, int> partitionCount,
    Func<IReadOnlyCollection<TopicPartition>, IReadOnlyDictionary<TopicPartition, long>> endOffsets,
    ILogger logger,
    string threadName)
{
    private ApplicationTasks? _tasks;

    public IReadOnlyDictionary<string, byte[]> Assign(string protocol, IReadOnlyList<JoinedMember> members)
    {
        if (protocol == CooperativeStickyAssignor.ProtocolName)
        {
            return CooperativeStickyAssignor.Assign(members, partitionCount);
        }

        if (protocol != StreamsPartitionAssignor.ProtocolName)
        {
            throw new StreamsException($"The group of application {config.ApplicationId} chose protocol {protocol}, not {StreamsPartitionAssignor.ProtocolName}");
        }

        var tasks = _tasks ??= new ApplicationTasks(topology, config.ApplicationId, partitionCount);
        IReadOnlyDictionary<TopicPartition, long> ends;
        try
        {
            ends = endOffsets([.. tasks.ChangelogPartitions]);
        }
        catch (KafkaException e)
        {
            // Without the ends, every instance counts as caught up: tasks stay where they run, and the rest are spread.
            StreamsRuntimeLog.ChangelogEndsUnknown(logger, threadName, e.Message);
            ends = tasks.ChangelogPartitions.ToDictionary(p => p, _ => 0L);
        }

        var settings = new TaskAssignmentSettings(config.NumStandbyReplicas, config.AcceptableRecoveryLag, config.MaxWarmupReplicas);
        var assignment = new StreamsPartitionAssignor(groups, tasks.All, tasks.Stateful, settings).Assign(members, tasks.EndOffsetSums(ends));
        StreamsRuntimeLog.Assigned(logger, threadName, members.Count, assignment.Withheld, assignment.ProbingRebalance);
        return assignment.Assignments;
    }
}
