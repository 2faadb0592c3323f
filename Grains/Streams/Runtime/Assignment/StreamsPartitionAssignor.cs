using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>The leader's answer: each member's assignment, whether a probing rebalance should follow, and how many task moves wait for their owner to let go.</summary>
internal sealed record StreamsGroupAssignment(IReadOnlyDictionary<string, byte[]> Assignments, bool ProbingRebalance, int Withheld);

/// <summary>
/// The group leader's assignment of a stream application's tasks (Kafka Streams' <c>StreamsPartitionAssignor</c>),
/// for the <c>stream</c> protocol of the application's own group members:
/// <list type="number">
/// <item>Members (stream threads) are grouped into clients by the process id in their subscriptions
/// (<see cref="StreamsSubscriptionInfo"/>); a client's capacity is its threads. The tasks a member owns now (from the
/// anchor partitions it lists as owned) are its client's previous active tasks and count as running there.</item>
/// <item>Each client's lag on each stateful task comes from its task offset sums and the changelogs' end offsets,
/// and <see cref="HighAvailabilityTaskAssignor"/> places actives, standbys and warm-ups over the clients.</item>
/// <item>A client's active tasks are spread over its threads: each stays on the thread that owns it while the
/// thread's share lasts, the rest go to the threads with the fewest.</item>
/// <item>Cooperatively (KIP-429): a task that moves to a thread while another thread still owns it is left out of
/// this assignment; the owner, not given it, commits and closes it and joins again, and the next assignment gives it
/// to its new thread. A task is never run by two threads at once.</item>
/// </list>
/// Each thread's assignment lists its tasks' anchor partitions (<see cref="CopartitionGroups"/>), its tasks, its
/// client's standbys and every client's standbys by <c>application.server</c> (<see cref="StreamsAssignmentInfo"/>).
/// </summary>
internal sealed class StreamsPartitionAssignor(
    CopartitionGroups groups, IReadOnlyCollection<TaskId> allTasks, IReadOnlySet<TaskId> statefulTasks, TaskAssignmentSettings settings)
{
    public const string ProtocolName = "stream";

    private sealed record Thread(string MemberId, StreamsSubscriptionInfo Info, IReadOnlySet<TaskId> Owned);

    /// <param name="members">The group's members, as the JoinGroup response lists them for the leader.</param>
    /// <param name="endOffsetSums">Each stateful task's sum of its changelog partitions' end offsets.</param>
    public StreamsGroupAssignment Assign(IReadOnlyList<JoinedMember> members, IReadOnlyDictionary<TaskId, long> endOffsetSums)
    {
        var known = allTasks.ToHashSet();
        var subscriptions = members
            .Select(m => (m.MemberId, Subscription: ConsumerProtocol.ReadSubscription(m.Metadata)))
            .OrderBy(m => m.MemberId, StringComparer.Ordinal)
            .ToList();
        var claims = subscriptions
            .SelectMany(m => m.Subscription.OwnedPartitions.Where(p => groups.IsSource(p.Topic)).Select(groups.TaskOf).Where(known.Contains).Distinct(), (m, task) => (task, m.MemberId))
            .GroupBy(c => c.task)
            .ToDictionary(g => g.Key, g => g.Select(c => c.MemberId).ToList());

        // A task two threads claim (one of them put out of the group without knowing yet) is owned by neither.
        var owners = claims.Where(c => c.Value.Count == 1).ToDictionary(c => c.Key, c => c.Value[0]);
        var threads = subscriptions
            .Select(m => new Thread(
                m.MemberId, StreamsSubscriptionInfo.Read(m.Subscription.UserData), owners.Where(o => o.Value == m.MemberId).Select(o => o.Key).ToHashSet()))
            .ToList();
        var byProcess = threads.GroupBy(t => t.Info.ProcessId).ToDictionary(g => g.Key, g => g.ToList());
        var clients = byProcess.Select(p => Client(p.Key, p.Value, endOffsetSums)).ToList();
        var probing = HighAvailabilityTaskAssignor.Assign(clients, allTasks, statefulTasks, settings);

        var standbysByHost = clients
            .Select(c => (Server: byProcess[c.ProcessId].Select(t => t.Info.ApplicationServer).FirstOrDefault(s => s is not null), c.Standby))
            .Where(c => c.Server is not null)
            .GroupBy(c => c.Server!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TaskId>)[.. g.SelectMany(c => c.Standby).Order()]);
        var assignments = new Dictionary<string, byte[]>();
        var withheld = 0;
        foreach (var client in clients)
        {
            var clientThreads = byProcess[client.ProcessId];
            foreach (var (thread, tasks) in OverThreads(client.Active, clientThreads))
            {
                var given = tasks.Where(task => !owners.TryGetValue(task, out var owner) || owner == thread.MemberId).Order().ToList();
                withheld += tasks.Count - given.Count;
                assignments[thread.MemberId] = ConsumerProtocol.Write(new ConsumerAssignment(
                    [.. given.Select(groups.AnchorOf)],
                    new StreamsAssignmentInfo(given, [.. client.Standby], probing, standbysByHost).ToBytes()));
            }
        }

        return new StreamsGroupAssignment(assignments, probing, withheld);
    }

    /// <summary>
    /// A client of the assignment from its threads' subscriptions: the offset sums its threads reported (each reads its
    /// instance's; the most advanced counts), its running tasks as running, lags against the changelogs' ends.
    /// </summary>
    private static AssignmentClient Client(Guid processId, List<Thread> threads, IReadOnlyDictionary<TaskId, long> endOffsetSums)
    {
        var sums = new Dictionary<TaskId, long>();
        foreach (var (task, sum) in threads.SelectMany(t => t.Info.TaskOffsetSums))
        {
            sums[task] = sums.TryGetValue(task, out var other) && (other == AssignmentClient.RunningActive || other > sum) ? other : sum;
        }

        var running = threads.SelectMany(t => t.Owned).ToHashSet();
        foreach (var task in running)
        {
            sums[task] = AssignmentClient.RunningActive;
        }

        return new AssignmentClient(processId, threads.Count, TaskOffsetSums.Lags(sums, endOffsetSums), running);
    }

    /// <summary>A client's active tasks over its threads: each on the thread that owns it while the thread's share lasts, the rest to the threads with the fewest.</summary>
    private static Dictionary<Thread, List<TaskId>> OverThreads(IReadOnlyCollection<TaskId> active, List<Thread> threads)
    {
        var share = (int)Math.Ceiling((double)active.Count / threads.Count);
        var spread = threads.ToDictionary(t => t, _ => new List<TaskId>());
        var rest = new List<TaskId>();
        foreach (var task in active)
        {
            var owner = threads.FirstOrDefault(t => t.Owned.Contains(task));
            if (owner is not null && spread[owner].Count < share)
            {
                spread[owner].Add(task);
            }
            else
            {
                rest.Add(task);
            }
        }

        foreach (var task in rest)
        {
            spread[threads.OrderBy(t => spread[t].Count).ThenBy(t => t.MemberId, StringComparer.Ordinal).First()].Add(task);
        }

        return spread;
    }
}
