using System.Diagnostics;
using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime.Assignment;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// The thread's membership of the application's group, run by the library's own <see cref="GroupMember"/> with the
/// <c>stream</c> protocol: the thread joins with its instance's process id, server and task offset sums and the
/// anchor partitions of the tasks it runs; the leader assigns tasks (<see cref="StreamsGroupLeader"/>); the
/// thread then closes the tasks it was not given (committing first) and makes the new ones, and when it has let any
/// go it joins again at once, so that their new owners get them (cooperative rebalancing). Its consumer is assigned
/// the tasks' partitions directly and never joins a group itself. The thread also offers <c>cooperative-sticky</c>
/// with its anchor topics, the protocol of earlier versions' threads, so that an application can be upgraded one
/// instance at a time: while such threads remain, the group assigns anchor partitions by it
/// (<see cref="CooperativeStickyAssignor"/>), and once they are gone it chooses <c>stream</c> again.
/// </summary>
internal sealed partial class StreamThread
{
    private readonly CancellationTokenSource _leaving = new();
    private GroupMember? _member;
    private long? _probingAt;

    /// <summary>Whether the thread should join the group again: the group rebalances, it let tasks go, or a probing rebalance is due.</summary>
    private bool RejoinDue => _member!.RejoinNeeded || (_probingAt is { } at && Stopwatch.GetTimestamp() >= at);

    /// <summary>Joins (again) and applies the assignment; repeats while the thread lets tasks go, until it keeps all it is given.</summary>
    private void Rebalance()
    {
        SetRebalancing(true);
        try
        {
            for (var letGo = true; letGo && !_stopping;)
            {
                if (_member!.Lost)
                {
                    LoseTasks();
                }

                List<TaskId> owned;
                lock (_tasks)
                {
                    owned = [.. _tasks.Keys.Order()];
                }

                var anchorTopics = _groups.AnchorTopics.Order(StringComparer.Ordinal).ToList();
                var ownedAnchors = owned.Select(_groups.AnchorOf).ToList();
                var stream = ConsumerProtocol.Write(new ConsumerSubscription(
                    anchorTopics,
                    new StreamsSubscriptionInfo(_processGuid, _config.ApplicationServer, TaskOffsetSums.Read(_config.ApplicationDirectory, owned)).ToBytes(),
                    ownedAnchors));
                var sticky = ConsumerProtocol.Write(new ConsumerSubscription(anchorTopics, null, ownedAnchors));
                var generation = _member.JoinAsync(
                    [(StreamsPartitionAssignor.ProtocolName, stream), (CooperativeStickyAssignor.ProtocolName, sticky)], _leader.Assign, _leaving.Token).GetAwaiter().GetResult();
                var assignment = ConsumerProtocol.ReadAssignment(generation.Assignment);

                // While threads of an earlier version (librdkafka's cooperative sticky assignor) remain in the group,
                // the group assigns anchor partitions, each a task, and no standbys.
                var info = generation.Protocol == StreamsPartitionAssignor.ProtocolName
                    ? StreamsAssignmentInfo.Read(assignment.UserData)
                    : new StreamsAssignmentInfo(
                        [.. assignment.Partitions.Where(p => _groups.IsSource(p.Topic)).Select(_groups.TaskOf).Distinct().Order()], [], false,
                        new Dictionary<string, IReadOnlyList<TaskId>>());
                var given = info.ActiveTasks.ToHashSet();
                var revoked = owned.Where(id => !given.Contains(id)).ToList();
                if (revoked.Count > 0)
                {
                    CloseRevoked(revoked, lost: false);
                }

                lock (_tasks)
                {
                    foreach (var id in info.ActiveTasks.Where(id => !_tasks.ContainsKey(id)).Order())
                    {
                        CreateTask(id);
                    }

                    _taskPartitions.Apply(_consumer!, StartingOffsets);
                }

                _standbys?.Assign(info.StandbyTasks);
                _assignmentReceived(info);
                _probingAt = info.ProbingRebalance
                    ? Stopwatch.GetTimestamp() + (long)(_config.ProbingRebalanceInterval.TotalSeconds * Stopwatch.Frequency)
                    : null;
                letGo = revoked.Count > 0;
            }
        }
        catch (OperationCanceledException) when (_stopping)
        {
            // Shutting down while the group rebalanced.
        }
        finally
        {
            SetRebalancing(false);
        }
    }

    /// <summary>
    /// The member was put out of the group: its tasks may be running elsewhere already. They close without a commit,
    /// and with exactly-once their open transaction is aborted, so that nothing they did since the last commit counts.
    /// </summary>
    private void LoseTasks()
    {
        List<TaskId> lost;
        lock (_tasks)
        {
            lost = [.. _tasks.Keys];
        }

        if (ExactlyOnce && _producer is not null)
        {
            _producer.AbortTransaction(ClientTimeout);
            _producer.BeginTransaction();
        }

        CloseRevoked(lost, lost: true);
    }

    /// <summary>
    /// Where the thread starts reading partitions it is given: the group's committed offsets, or the beginning where
    /// none is committed (the threads' <c>auto.offset.reset</c> is <c>earliest</c>, as Kafka Streams sets it).
    /// </summary>
    private IEnumerable<TopicPartitionOffset> StartingOffsets(List<TopicPartition> partitions) =>
        _member!.CommittedAsync(partitions, _leaving.Token).GetAwaiter().GetResult()
            .Select(c => c.Offset == Offset.Unset ? new TopicPartitionOffset(c.TopicPartition, Offset.Beginning) : c);
}
