using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime;
using Tributary.Grains.Streams.Runtime.Assignment;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Tests.Streams.Runtime;

/// <summary>
/// The leader's assignment of tasks to stream threads, from the members' subscriptions to their assignments, in
/// the encodings the group carries: sub-topology 0 reads <c>words</c> and <c>words-extra</c> (stateless), sub-topology 1
/// reads <c>counts-repartition</c> into a store (stateful), four partitions each.
/// </summary>
public sealed class StreamsPartitionAssignorTests
{
    private const long ChangelogEnd = 50_000;
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private static readonly CopartitionGroups Groups = new(
        new Dictionary<string, int> { ["words"] = 0, ["words-extra"] = 0, ["counts-repartition"] = 1 },
        topic => topic == "words-extra" ? 2 : 4);

    private static readonly TaskId[] AllTasks = [.. Enumerable.Range(0, 2).SelectMany(s => Enumerable.Range(0, 4).Select(p => new TaskId(s, p)))];
    private static readonly HashSet<TaskId> Stateful = [.. AllTasks.Where(t => t.Subtopology == 1)];
    private static readonly Dictionary<TaskId, long> EndOffsetSums = Stateful.ToDictionary(t => t, _ => ChangelogEnd);

    private static TaskId T(int subtopology, int partition) => new(subtopology, partition);

    private static JoinedMember Member(string memberId, Guid process, TaskId[] owned, Dictionary<TaskId, long>? offsetSums = null) => new(
        memberId,
        null,
        ConsumerProtocol.Write(new ConsumerSubscription(
            ["words", "counts-repartition"],
            new StreamsSubscriptionInfo(process, null, offsetSums ?? []).ToBytes(),
            [.. owned.Select(Groups.AnchorOf)])));

    private static StreamsGroupAssignment Assign(int standbys, params JoinedMember[] members) =>
        new StreamsPartitionAssignor(Groups, AllTasks, Stateful, new TaskAssignmentSettings(standbys)).Assign(members, EndOffsetSums);

    private static (IReadOnlyList<TopicPartition> Partitions, StreamsAssignmentInfo Info) Read(StreamsGroupAssignment assignment, string memberId)
    {
        var read = ConsumerProtocol.ReadAssignment(assignment.Assignments[memberId]);
        return (read.Partitions, StreamsAssignmentInfo.Read(read.UserData));
    }

    [Fact]
    public void AFreshGroup_GetsEveryTaskOnce_SpreadOverThreads_WithItsAnchorPartitions_AndStandbysOnTheOtherInstance()
    {
        var assignment = Assign(1, Member("a-1", A, []), Member("a-2", A, []), Member("b-1", B, []), Member("b-2", B, []));

        var threads = new[] { "a-1", "a-2", "b-1", "b-2" }.ToDictionary(m => m, m => Read(assignment, m));
        Assert.Equal(AllTasks, threads.Values.SelectMany(t => t.Info.ActiveTasks).Order());
        Assert.All(threads.Values, t => Assert.Equal(2, t.Info.ActiveTasks.Count));
        Assert.All(threads.Values, t => Assert.Equal(t.Info.ActiveTasks.Select(Groups.AnchorOf), t.Partitions));
        Assert.Contains(new TopicPartition("words", 0), threads.Values.SelectMany(t => t.Partitions));
        Assert.DoesNotContain(threads.Values.SelectMany(t => t.Partitions), p => p.Topic == "words-extra");

        // A's standbys are the stateful tasks B runs, and the other way round; both threads of an instance are told them.
        var activeOnA = threads["a-1"].Info.ActiveTasks.Concat(threads["a-2"].Info.ActiveTasks).Where(Stateful.Contains).ToHashSet();
        var activeOnB = threads["b-1"].Info.ActiveTasks.Concat(threads["b-2"].Info.ActiveTasks).Where(Stateful.Contains).ToHashSet();
        Assert.Equal(activeOnB.Order(), threads["a-1"].Info.StandbyTasks);
        Assert.Equal(activeOnA.Order(), threads["b-2"].Info.StandbyTasks);
        Assert.Equal(threads["a-1"].Info.StandbyTasks, threads["a-2"].Info.StandbyTasks);
        Assert.Equal(0, assignment.Withheld);
        Assert.False(assignment.ProbingRebalance);
    }

    [Fact]
    public void WhenAnInstanceJoins_TheOthersKeepTheirStatefulTasks_HandOverStatelessOnesInTwoSteps_AndItWarmsUp()
    {
        TaskId[] ranByA = [T(0, 0), T(0, 1), T(1, 0), T(1, 1)];
        TaskId[] ranByB = [T(0, 2), T(0, 3), T(1, 2), T(1, 3)];

        // C has no state, and the changelogs are longer than acceptable.recovery.lag.
        var first = Assign(0, Member("a-1", A, ranByA), Member("b-1", B, ranByB), Member("c-1", C, []));

        var (a, b, c) = (Read(first, "a-1").Info, Read(first, "b-1").Info, Read(first, "c-1").Info);
        Assert.Equal([T(1, 0), T(1, 1)], a.ActiveTasks.Where(Stateful.Contains));
        Assert.Equal([T(1, 2), T(1, 3)], b.ActiveTasks.Where(Stateful.Contains));

        // One stateless task of each moves to C: A and B are not given it, and C is not given it yet.
        Assert.Equal(3, a.ActiveTasks.Count);
        Assert.Equal(3, b.ActiveTasks.Count);
        Assert.Empty(c.ActiveTasks);
        Assert.Equal(2, first.Withheld);

        // The even spread wants one stateful task on C: it gets a warm-up replica of it, and a probing rebalance is to
        // hand the task over once the warm-up has caught up.
        Assert.Contains(Assert.Single(c.StandbyTasks), Stateful);
        Assert.True(c.ProbingRebalance);
        Assert.True(first.ProbingRebalance);

        // A and B let them go and join again: C takes them, and nothing else moves.
        var second = Assign(0, Member("a-1", A, [.. a.ActiveTasks]), Member("b-1", B, [.. b.ActiveTasks]), Member("c-1", C, []));
        Assert.Equal(a.ActiveTasks, Read(second, "a-1").Info.ActiveTasks);
        Assert.Equal(b.ActiveTasks, Read(second, "b-1").Info.ActiveTasks);
        Assert.Equal(ranByA.Concat(ranByB).Except(a.ActiveTasks).Except(b.ActiveTasks).Order(), Read(second, "c-1").Info.ActiveTasks);
        Assert.Equal(0, second.Withheld);
    }

    [Fact]
    public void ATaskMovingBetweenThreads_IsWithheldUntilItsOwnerHasLetItGo()
    {
        // One instance, whose first thread ran everything; a second thread starts.
        var first = Assign(0, Member("a-1", A, AllTasks), Member("a-2", A, []));

        var (kept, moving) = (Read(first, "a-1").Info.ActiveTasks, Read(first, "a-2").Info.ActiveTasks);
        Assert.Equal(4, kept.Count);
        Assert.Empty(moving);
        Assert.Equal(4, first.Withheld);

        // The first thread closed the tasks it was not given and joins again: now they go to the second.
        var second = Assign(0, Member("a-1", A, [.. kept]), Member("a-2", A, []));
        Assert.Equal(kept, Read(second, "a-1").Info.ActiveTasks);
        Assert.Equal(AllTasks.Except(kept).Order(), Read(second, "a-2").Info.ActiveTasks);
        Assert.Equal(0, second.Withheld);
    }

    [Fact]
    public void WhenAnInstanceLeaves_ItsStatefulTasksGoToTheInstanceWithTheirStandbyState()
    {
        // A ran 1_0 and is gone. B kept a standby of it (30 records behind); C holds nothing of it, and comes first in
        // the deal, so an assignment that ignored state would give it the task and a 50,000-record restore.
        var b = Member("b-1", B, [], new Dictionary<TaskId, long> { [T(1, 0)] = ChangelogEnd - 30 });
        var c = Member("0-c-1", C, []);

        var assignment = Assign(1, c, b);

        Assert.Contains(T(1, 0), Read(assignment, "b-1").Info.ActiveTasks);
        Assert.Contains(T(1, 0), Read(assignment, "0-c-1").Info.StandbyTasks);
    }

    [Fact]
    public void ATaskTwoThreadsClaim_BelongsToNeither_AndIsNotWithheld()
    {
        var assignment = Assign(0, Member("a-1", A, [T(1, 0)]), Member("b-1", B, [T(1, 0)]));

        Assert.Equal(0, assignment.Withheld);
        Assert.Equal(AllTasks, new[] { "a-1", "b-1" }.SelectMany(m => Read(assignment, m).Info.ActiveTasks).Order());
    }

    [Fact]
    public void SubscriptionAndAssignmentInfo_ReadBackWhatWasWritten_AndRefuseAnotherVersion()
    {
        var subscription = new StreamsSubscriptionInfo(A, "host:7070", new Dictionary<TaskId, long> { [T(1, 2)] = 99, [T(0, 1)] = AssignmentClient.RunningActive });
        var read = StreamsSubscriptionInfo.Read(subscription.ToBytes());
        Assert.Equal((A, "host:7070"), (read.ProcessId, read.ApplicationServer));
        Assert.Equal(subscription.TaskOffsetSums.OrderBy(p => p.Key), read.TaskOffsetSums.OrderBy(p => p.Key));

        var assignment = new StreamsAssignmentInfo([T(0, 1)], [T(1, 2), T(1, 3)], true, new Dictionary<string, IReadOnlyList<TaskId>> { ["b:1"] = [T(1, 0)], ["a:1"] = [] });
        var back = StreamsAssignmentInfo.Read(assignment.ToBytes());
        Assert.Equal(assignment.ActiveTasks, back.ActiveTasks);
        Assert.Equal(assignment.StandbyTasks, back.StandbyTasks);
        Assert.True(back.ProbingRebalance);
        Assert.Equal(["a:1", "b:1"], back.StandbyTasksByHost.Keys.Order());
        Assert.Equal([T(1, 0)], back.StandbyTasksByHost["b:1"]);

        var future = assignment.ToBytes();
        future[1] = 9;
        Assert.Throws<InvalidDataException>(() => StreamsAssignmentInfo.Read(future));
        Assert.Throws<InvalidDataException>(() => StreamsSubscriptionInfo.Read(null));
    }
}
