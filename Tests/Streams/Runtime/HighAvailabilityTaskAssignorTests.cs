using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime.Assignment;

namespace Tributary.Tests.Streams.Runtime;

public sealed class HighAvailabilityTaskAssignorTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private static TaskId T(int partition) => new(0, partition);

    private static IReadOnlyList<TaskId> Tasks(int count) => [.. Enumerable.Range(0, count).Select(T)];

    private static Dictionary<TaskId, long> Lags(params (int Partition, long Lag)[] lags) => lags.ToDictionary(l => T(l.Partition), l => l.Lag);

    [Fact]
    public void WithoutState_TasksAreSpreadEvenly_AndEachStandbyIsOnAnotherInstance()
    {
        AssignmentClient[] clients = [new(A, 1), new(B, 1), new(C, 1)];
        var tasks = Tasks(6);

        var probing = HighAvailabilityTaskAssignor.Assign(clients, tasks, tasks.ToHashSet(), new TaskAssignmentSettings(NumStandbyReplicas: 1));

        Assert.False(probing);
        Assert.All(clients, c => Assert.Equal(2, c.Active.Count));
        Assert.All(clients, c => Assert.Equal(2, c.Standby.Count));
        Assert.All(clients, c => Assert.Empty(c.Active.Intersect(c.Standby)));
        Assert.Equal(tasks, clients.SelectMany(c => c.Active).Order());
        Assert.Equal(tasks, clients.SelectMany(c => c.Standby).Order());
    }

    [Fact]
    public void TasksStayWhereTheyRun_WhileTheInstancesShareLasts_EvenWhereEveryInstanceIsCaughtUp()
    {
        // Every instance may run every task at once (acceptable.recovery.lag unbounded): only the balance moves tasks.
        var tasks = Tasks(6);
        AssignmentClient[] clients =
        [
            new(A, 1, previousActive: new HashSet<TaskId> { T(0), T(1), T(2) }),
            new(B, 1, previousActive: new HashSet<TaskId> { T(3), T(4), T(5) }),
            new(C, 1),
        ];

        HighAvailabilityTaskAssignor.Assign(clients, tasks, tasks.ToHashSet(), new TaskAssignmentSettings(0, AcceptableRecoveryLag: long.MaxValue));

        Assert.All(clients, c => Assert.Equal(2, c.Active.Count));
        Assert.Subset(clients[0].PreviousActive.ToHashSet(), clients[0].Active.ToHashSet());
        Assert.Subset(clients[1].PreviousActive.ToHashSet(), clients[1].Active.ToHashSet());
        Assert.Equal(4, clients.Sum(c => c.Active.Count(c.PreviousActive.Contains)));
    }

    [Fact]
    public void TasksAreSpreadByThreads()
    {
        AssignmentClient[] clients = [new(A, 1), new(B, 3)];
        var tasks = Tasks(8);

        HighAvailabilityTaskAssignor.Assign(clients, tasks, tasks.ToHashSet(), new TaskAssignmentSettings(NumStandbyReplicas: 0));

        Assert.Equal(2, clients[0].Active.Count);
        Assert.Equal(6, clients[1].Active.Count);
    }

    [Fact]
    public void TheTasksOfAnInstanceThatLeft_GoWhereTheirStandbysAreCaughtUp_NotWhereAnEvenSpreadPutsThem()
    {
        // The instance that ran 0_0 and 0_1 is gone. B kept a standby of 0_0 and C one of 0_1, both caught up; A is new.
        AssignmentClient[] clients = [new(A, 1), new(B, 1, Lags((0, 0))), new(C, 1, Lags((1, 40)))];
        var tasks = Tasks(2);

        var probing = HighAvailabilityTaskAssignor.Assign(clients, tasks, tasks.ToHashSet(), new TaskAssignmentSettings(NumStandbyReplicas: 1));

        Assert.Equal([T(0)], clients[1].Active);
        Assert.Equal([T(1)], clients[2].Active);
        Assert.Empty(clients[0].Active);
        // The spread wanted tasks on A: it warms their state up, and a later assignment may give it one.
        Assert.True(probing);
        Assert.NotEmpty(clients[0].Standby);
        Assert.All(clients, c => Assert.Empty(c.Active.Intersect(c.Standby)));
    }

    [Fact]
    public void AStandbyBehindTheAcceptableLag_DoesNotCountAsCaughtUp()
    {
        AssignmentClient[] clients = [new(A, 1, Lags((0, 10_001))), new(B, 1)];

        var probing = HighAvailabilityTaskAssignor.Assign(clients, [T(0), T(1)], new HashSet<TaskId> { T(0), T(1) }, new TaskAssignmentSettings(NumStandbyReplicas: 0));

        // Nobody is caught up on 0_0, so the even spread stands: A (the most advanced) gets it by the deal, and nothing moves.
        Assert.False(probing);
        Assert.Equal([T(0)], clients[0].Active);
        Assert.Equal([T(1)], clients[1].Active);
    }

    [Fact]
    public void RunningTasksStay_AndTheInstancesTheSpreadWantedThemOn_WarmUp()
    {
        AssignmentClient[] clients =
        [
            new(A, 1, Lags((0, AssignmentClient.RunningActive), (1, AssignmentClient.RunningActive))),
            new(B, 1, Lags((2, AssignmentClient.RunningActive), (3, AssignmentClient.RunningActive))),
        ];
        var tasks = Tasks(4);

        var probing = HighAvailabilityTaskAssignor.Assign(clients, tasks, tasks.ToHashSet(), new TaskAssignmentSettings(NumStandbyReplicas: 0));

        Assert.Equal([T(0), T(1)], clients[0].Active);
        Assert.Equal([T(2), T(3)], clients[1].Active);
        Assert.Equal([T(2)], clients[0].Standby);
        Assert.Equal([T(1)], clients[1].Standby);
        Assert.True(probing);
    }

    [Fact]
    public void WarmupReplicas_AreNoMoreThanMaxWarmupReplicas()
    {
        var running = Lags([.. Enumerable.Range(0, 6).Select(p => (p, AssignmentClient.RunningActive))]);
        AssignmentClient[] clients = [new(A, 1, running), new(B, 1), new(C, 1)];
        var tasks = Tasks(6);

        var probing = HighAvailabilityTaskAssignor.Assign(clients, tasks, tasks.ToHashSet(), new TaskAssignmentSettings(NumStandbyReplicas: 0, MaxWarmupReplicas: 2));

        Assert.Equal(tasks, clients[0].Active);
        Assert.Equal(2, clients.Sum(c => c.Standby.Count));
        Assert.True(probing);
    }

    [Fact]
    public void StatelessTasks_GoToTheInstancesWithTheFewestActiveTasksPerThread_WithoutStandbys()
    {
        AssignmentClient[] clients = [new(A, 1, Lags((0, AssignmentClient.RunningActive), (1, AssignmentClient.RunningActive))), new(B, 1)];
        TaskId[] tasks = [T(0), T(1), new(1, 0), new(1, 1)];

        HighAvailabilityTaskAssignor.Assign(clients, tasks, new HashSet<TaskId> { T(0), T(1) }, new TaskAssignmentSettings(NumStandbyReplicas: 1));

        Assert.Equal([new TaskId(1, 0), new TaskId(1, 1)], clients[1].Active.Where(t => t.Subtopology == 1));
        Assert.DoesNotContain(clients.SelectMany(c => c.Standby), t => t.Subtopology == 1);
    }

    [Fact]
    public void RandomGroups_KeepTheAssignmentsInvariants()
    {
        var random = new Random(441);
        for (var round = 0; round < 500; round++)
        {
            var taskCount = random.Next(1, 13);
            var tasks = Tasks(taskCount);
            var stateful = tasks.Where(_ => random.Next(4) > 0).ToHashSet();
            var instances = random.Next(1, 6);
            var ids = Enumerable.Range(0, instances).Select(_ => Guid.NewGuid()).ToList();
            var lags = ids.ToDictionary(id => id, _ => new Dictionary<TaskId, long>());
            foreach (var task in stateful)
            {
                if (random.Next(3) > 0)
                {
                    lags[ids[random.Next(instances)]][task] = AssignmentClient.RunningActive;
                }

                foreach (var id in ids.Where(id => !lags[id].ContainsKey(task) && random.Next(2) == 0))
                {
                    lags[id][task] = random.Next(3) == 0 ? random.Next(20_000, 50_000) : random.Next(0, 10_000);
                }
            }

            var settings = new TaskAssignmentSettings(random.Next(0, 3), MaxWarmupReplicas: random.Next(0, 4));
            var clients = ids.Select(id => new AssignmentClient(id, random.Next(1, 4), lags[id])).ToList();

            HighAvailabilityTaskAssignor.Assign(clients, tasks, stateful, settings);

            var scenario = $"round {round}: {string.Join("; ", clients)}";
            Assert.True(tasks.Order().SequenceEqual(clients.SelectMany(c => c.Active).Order()), "each task active exactly once, " + scenario);
            Assert.All(clients, c => Assert.Empty(c.Active.Intersect(c.Standby)));
            Assert.DoesNotContain(clients.SelectMany(c => c.Standby), t => !stateful.Contains(t));
            var wanted = Math.Min(settings.NumStandbyReplicas, instances - 1);
            var extra = 0;
            foreach (var task in stateful)
            {
                var standbys = clients.Count(c => c.Standby.Contains(task));
                Assert.True(standbys >= wanted, $"{task} has {standbys} standbys of {wanted}, {scenario}");
                extra += standbys - wanted;

                var active = clients.Single(c => c.Active.Contains(task));
                var caughtUp = clients.Where(c => c.LagFor(task) == AssignmentClient.RunningActive || c.LagFor(task) is >= 0 and <= 10_000).ToList();
                Assert.True(caughtUp.Count == 0 || caughtUp.Contains(active), $"{task} is active where its state is not caught up, {scenario}");
            }

            Assert.True(extra <= settings.MaxWarmupReplicas, $"{extra} warm-up replicas of {settings.MaxWarmupReplicas}, {scenario}");
        }
    }
}
