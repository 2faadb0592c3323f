using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// Kafka Streams' high-availability task assignment (KIP-441), run by the group's leader over every instance: tasks
/// are spread evenly over the instances' threads, and a stateful task is then made active only where its state is
/// caught up, so that an instance joining or leaving never leaves a task unavailable while its state is restored.
/// <list type="number">
/// <item>Stateful tasks stay on the instance that runs them while its share lasts, the rest are dealt round the
/// instances in process-id order, then moved between instances until no move would lower the skew of tasks per
/// thread.</item>
/// <item>Each stateful task gets <c>num.standby.replicas</c> standbys, each on the least loaded instance that has no
/// copy of it yet, balanced the same way.</item>
/// <item>An active task on an instance that is not caught up, where a more caught-up one exists, moves: to a caught-up
/// instance holding a standby of it (the two swap), else to the least loaded caught-up instance, else to the most
/// caught-up one. The instance it was meant for gets a warm-up replica (a standby) while
/// <c>max.warmup.replicas</c> lasts, so that a later assignment can give it the task once its state has caught up.
/// Tasks with the fewest caught-up instances move first.</item>
/// <item>A standby on an instance that is not caught up moves to a caught-up instance without a copy in the same way,
/// and stays where it was as a warm-up while warm-ups last. Warm-ups themselves do not move.</item>
/// <item>Stateless tasks stay where they run while the instance's share lasts, the rest go to the instances with the
/// fewest active tasks per thread.</item>
/// </list>
/// An instance is caught up on a task when it runs it now, or its state is at most <c>acceptable.recovery.lag</c>
/// behind the changelogs. <see cref="Assign"/> answers whether any task was kept from where the balanced spread
/// wanted it: then the leader asks for another assignment after <c>probing.rebalance.interval.ms</c>, by when the
/// warm-ups may have caught up.
/// </summary>
internal static class HighAvailabilityTaskAssignor
{
    /// <summary>
    /// Assigns <paramref name="allTasks"/> to <paramref name="clients"/> (their <see cref="AssignmentClient.Active"/>
    /// and <see cref="AssignmentClient.Standby"/> sets, which start empty); true when a follow-up (probing) assignment
    /// is wanted.
    /// </summary>
    public static bool Assign(
        IReadOnlyCollection<AssignmentClient> clients, IReadOnlyCollection<TaskId> allTasks, IReadOnlySet<TaskId> statefulTasks,
        TaskAssignmentSettings settings)
    {
        if (clients.Count == 0)
        {
            throw new ArgumentException("An assignment needs at least one instance.", nameof(clients));
        }

        var ordered = clients.OrderBy(c => c.ProcessId).ToList();
        var stateful = new SortedSet<TaskId>(allTasks.Where(statefulTasks.Contains));
        var stateless = new SortedSet<TaskId>(allTasks.Where(t => !statefulTasks.Contains(t)));

        DealActives(ordered, stateful);
        AssignStandbys(ordered, stateful, settings.NumStandbyReplicas);

        var lags = new TaskLags(ordered, stateful, settings.AcceptableRecoveryLag);
        var warmupsLeft = settings.MaxWarmupReplicas;
        var warmups = new HashSet<(Guid, TaskId)>();
        var activeMoves = MoveActivesToCaughtUp(ordered, lags, warmups, ref warmupsLeft);
        var standbyMoves = MoveStandbysToCaughtUp(ordered, lags, warmups, ref warmupsLeft);

        AssignStateless(ordered, stateless);
        return activeMoves + standbyMoves > 0;
    }

    /// <summary>
    /// Each stateful task stays on the instance that runs it now while that instance's share (tasks in proportion to
    /// its threads, rounded up) lasts; the rest are dealt round the instances whose share is not full. Kafka deals
    /// every task round the instances, which moves tasks between caught-up instances for nothing, each move a restore.
    /// </summary>
    private static void DealActives(List<AssignmentClient> clients, SortedSet<TaskId> stateful)
    {
        var totalCapacity = clients.Sum(c => c.Capacity);
        int Share(AssignmentClient client) => (int)Math.Ceiling((double)stateful.Count * client.Capacity / totalCapacity);
        var rest = new List<TaskId>();
        foreach (var task in stateful)
        {
            var owner = clients.FirstOrDefault(c => c.PreviousActive.Contains(task));
            if (owner is not null && owner.Active.Count < Share(owner))
            {
                owner.Active.Add(task);
            }
            else
            {
                rest.Add(task);
            }
        }

        var next = 0;
        foreach (var task in rest)
        {
            for (var tried = 0; tried < clients.Count && clients[next].Active.Count >= Share(clients[next]); tried++)
            {
                next = (next + 1) % clients.Count;
            }

            clients[next].Active.Add(task);
            next = (next + 1) % clients.Count;
        }

        BalanceOverThreads(clients, c => c.Active);
    }

    private static void AssignStandbys(List<AssignmentClient> clients, SortedSet<TaskId> stateful, int replicas)
    {
        var byLoad = new ClientsByLoad(c => c.AssignedTaskLoad, (c, task) => !c.HasAssigned(task));
        clients.ForEach(byLoad.Offer);
        foreach (var task in stateful)
        {
            // Fewer than asked for when there are not enough other instances: Kafka warns and goes on.
            for (var placed = 0; placed < replicas && byLoad.Poll(task) is { } client; placed++)
            {
                client.Standby.Add(task);
                byLoad.Offer(client);
            }
        }

        BalanceOverThreads(clients, c => c.Standby);
    }

    /// <summary>
    /// Moves tasks of one kind (the sets <paramref name="tasksOf"/> gives) from instance to instance while a move lowers
    /// the difference of their tasks per thread, to an instance with no copy of the task.
    /// </summary>
    private static void BalanceOverThreads(List<AssignmentClient> clients, Func<AssignmentClient, SortedSet<TaskId>> tasksOf)
    {
        for (var moved = true; moved;)
        {
            moved = false;
            foreach (var source in clients)
            {
                foreach (var destination in clients)
                {
                    if (ReferenceEquals(source, destination))
                    {
                        continue;
                    }

                    foreach (var task in tasksOf(source).ToList())
                    {
                        if (!MoveLowersSkew(source, destination))
                        {
                            break;
                        }

                        if (!destination.HasAssigned(task))
                        {
                            tasksOf(source).Remove(task);
                            tasksOf(destination).Add(task);
                            moved = true;
                        }
                    }
                }
            }
        }
    }

    private static bool MoveLowersSkew(AssignmentClient source, AssignmentClient destination)
    {
        var skew = source.AssignedTaskLoad - destination.AssignedTaskLoad;
        if (skew <= 0)
        {
            return false;
        }

        var skewAfter = (source.AssignedTaskCount - 1.0) / source.Capacity - (destination.AssignedTaskCount + 1.0) / destination.Capacity;
        return skewAfter >= 0 && skewAfter < skew;
    }

    private static int MoveActivesToCaughtUp(List<AssignmentClient> clients, TaskLags lags, HashSet<(Guid, TaskId)> warmups, ref int warmupsLeft)
    {
        var caughtUpByLoad = new ClientsByLoad(c => c.AssignedTaskLoad, lags.IsCaughtUp);
        var moves = new List<(TaskId Task, AssignmentClient Destination)>();
        foreach (var client in clients)
        {
            moves.AddRange(client.Active.Where(task => lags.BetterPlacedElsewhere(task, client)).Select(task => (task, client)));
            caughtUpByLoad.Offer(client);
        }

        foreach (var (task, destination) in moves.OrderBy(m => lags.CaughtUpCount(m.Task)).ThenBy(m => m.Task))
        {
            if (caughtUpByLoad.Poll(task, c => c.Standby.Contains(task)) is { } standbyHolder)
            {
                Swap(task, standbyHolder, destination);
                Offer(caughtUpByLoad, standbyHolder, destination);
            }
            else if (caughtUpByLoad.Poll(task) is { } caughtUp)
            {
                MoveActive(task, caughtUp, destination, warmups, ref warmupsLeft);
                Offer(caughtUpByLoad, caughtUp, destination);
            }
            else if (lags.MostCaughtUp(task, destination, _ => true) is { } closest)
            {
                if (closest.Standby.Contains(task))
                {
                    Swap(task, closest, destination);
                }
                else
                {
                    MoveActive(task, closest, destination, warmups, ref warmupsLeft);
                }

                Offer(caughtUpByLoad, closest, destination);
            }
            else
            {
                throw new InvalidOperationException($"Task {task} was to move to a more caught-up instance, but there is none.");
            }
        }

        return moves.Count;
    }

    private static int MoveStandbysToCaughtUp(List<AssignmentClient> clients, TaskLags lags, HashSet<(Guid, TaskId)> warmups, ref int warmupsLeft)
    {
        var caughtUpByLoad = new ClientsByLoad(c => c.AssignedTaskLoad, lags.IsCaughtUp);
        var moves = new List<(TaskId Task, AssignmentClient Destination)>();
        foreach (var client in clients)
        {
            moves.AddRange(client.Standby
                .Where(task => !warmups.Contains((client.ProcessId, task)) && lags.BetterPlacedElsewhere(task, client))
                .Select(task => (task, client)));
            caughtUpByLoad.Offer(client);
        }

        var moved = 0;
        foreach (var (task, destination) in moves.OrderBy(m => lags.CaughtUpCount(m.Task)).ThenBy(m => m.Task))
        {
            var source = caughtUpByLoad.Poll(task, c => !c.HasAssigned(task)) ?? lags.MostCaughtUp(task, destination, c => !c.HasAssigned(task));
            if (source is null)
            {
                continue; // every caught-up instance already holds a copy
            }

            source.Standby.Add(task);
            if (warmupsLeft-- <= 0)
            {
                destination.Standby.Remove(task); // moved on a later assignment, once a warm-up is free
            }

            Offer(caughtUpByLoad, source, destination);
            moved++;
        }

        return moved;
    }

    /// <summary>
    /// Stateless tasks stay where they run while the instance's share of all active tasks lasts; the rest go to the
    /// instances with the fewest active tasks per thread.
    /// </summary>
    private static void AssignStateless(List<AssignmentClient> clients, SortedSet<TaskId> stateless)
    {
        var totalActive = clients.Sum(c => c.Active.Count) + stateless.Count;
        var totalCapacity = clients.Sum(c => c.Capacity);
        var rest = new List<TaskId>();
        foreach (var task in stateless)
        {
            var owner = clients.FirstOrDefault(c => c.PreviousActive.Contains(task));
            if (owner is not null && owner.Active.Count < Math.Ceiling((double)totalActive * owner.Capacity / totalCapacity))
            {
                owner.Active.Add(task);
            }
            else
            {
                rest.Add(task);
            }
        }

        var byLoad = new ClientsByLoad(c => c.ActiveTaskLoad, (_, _) => true);
        clients.ForEach(byLoad.Offer);
        foreach (var task in rest)
        {
            var client = byLoad.Poll(task)!;
            client.Active.Add(task);
            byLoad.Offer(client);
        }
    }

    /// <summary>The active task goes to the standby holder, which gives its standby to the instance the task was meant for.</summary>
    private static void Swap(TaskId task, AssignmentClient standbyHolder, AssignmentClient destination)
    {
        standbyHolder.Standby.Remove(task);
        standbyHolder.Active.Add(task);
        destination.Active.Remove(task);
        destination.Standby.Add(task);
    }

    /// <summary>The active task goes to <paramref name="source"/>; the instance it was meant for warms its state up while warm-ups last.</summary>
    private static void MoveActive(TaskId task, AssignmentClient source, AssignmentClient destination, HashSet<(Guid, TaskId)> warmups, ref int warmupsLeft)
    {
        source.Active.Add(task);
        destination.Active.Remove(task);
        if (warmupsLeft-- > 0)
        {
            destination.Standby.Add(task);
            warmups.Add((destination.ProcessId, task));
        }
    }

    private static void Offer(ClientsByLoad byLoad, AssignmentClient first, AssignmentClient second)
    {
        byLoad.Offer(first);
        byLoad.Offer(second);
    }

    /// <summary>Each stateful task's instances by lag, and which of them are caught up.</summary>
    private sealed class TaskLags
    {
        private readonly Dictionary<TaskId, List<AssignmentClient>> _byLag = [];
        private readonly Dictionary<TaskId, HashSet<AssignmentClient>> _caughtUp = [];

        public TaskLags(List<AssignmentClient> clients, SortedSet<TaskId> stateful, long acceptableRecoveryLag)
        {
            foreach (var task in stateful)
            {
                _byLag[task] = [.. clients.OrderBy(c => c.LagFor(task)).ThenBy(c => c.ProcessId)];
                _caughtUp[task] = [.. clients.Where(c => IsCaughtUp(c.LagFor(task), acceptableRecoveryLag))];
            }
        }

        public bool IsCaughtUp(AssignmentClient client, TaskId task) => _caughtUp[task].Contains(client);

        public int CaughtUpCount(TaskId task) => _caughtUp[task].Count;

        /// <summary>Not caught up on the task, while another instance is further along.</summary>
        public bool BetterPlacedElsewhere(TaskId task, AssignmentClient client) =>
            _caughtUp.ContainsKey(task) && !IsCaughtUp(client, task) && _byLag[task][0].LagFor(task) < client.LagFor(task);

        /// <summary>The most caught-up instance other than <paramref name="except"/> that <paramref name="eligible"/> allows.</summary>
        public AssignmentClient? MostCaughtUp(TaskId task, AssignmentClient except, Func<AssignmentClient, bool> eligible) =>
            _byLag[task].FirstOrDefault(c => !ReferenceEquals(c, except) && eligible(c));

        private static bool IsCaughtUp(long lag, long acceptableRecoveryLag) =>
            lag == AssignmentClient.RunningActive || acceptableRecoveryLag == long.MaxValue || (lag >= 0 && lag <= acceptableRecoveryLag);
    }
}
