using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// One application instance as an assignment sees it (Kafka Streams' <c>ClientState</c>): its process id, its stream
/// threads (the capacity tasks are balanced by), how far each stateful task's local state is behind the task's
/// changelogs, and the active and standby tasks given to it so far. Lags are records behind the changelogs' ends;
/// <see cref="RunningActive"/> marks the task the instance runs as active now (the most caught up of all), and a task
/// it holds no state of is as far behind as can be (the leader gives it the whole changelog's length). Not thread-safe: one assignment at a time.
/// </summary>
internal sealed class AssignmentClient
{
    /// <summary>The lag of a task that the instance runs as active: Kafka's <c>Task.LATEST_OFFSET</c>.</summary>
    public const long RunningActive = -2;

    private readonly IReadOnlyDictionary<TaskId, long> _lags;

    public AssignmentClient(Guid processId, int capacity, IReadOnlyDictionary<TaskId, long>? lags = null, IReadOnlySet<TaskId>? previousActive = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ProcessId = processId;
        Capacity = capacity;
        _lags = lags ?? new Dictionary<TaskId, long>();
        PreviousActive = previousActive ?? new HashSet<TaskId>();
    }

    /// <summary>The tasks the instance runs as active now (Kafka's <c>prevActiveTasks</c>): they stay while its share allows.</summary>
    public IReadOnlySet<TaskId> PreviousActive { get; }

    public Guid ProcessId { get; }

    /// <summary>Its stream threads.</summary>
    public int Capacity { get; }

    public SortedSet<TaskId> Active { get; } = [];

    public SortedSet<TaskId> Standby { get; } = [];

    public int AssignedTaskCount => Active.Count + Standby.Count;

    /// <summary>Active and standby tasks per thread.</summary>
    public double AssignedTaskLoad => (double)AssignedTaskCount / Capacity;

    /// <summary>Active tasks per thread.</summary>
    public double ActiveTaskLoad => (double)Active.Count / Capacity;

    public long LagFor(TaskId task) => _lags.TryGetValue(task, out var lag) ? lag : long.MaxValue;

    public bool HasAssigned(TaskId task) => Active.Contains(task) || Standby.Contains(task);

    public override string ToString() =>
        $"{ProcessId} (capacity {Capacity}): active [{string.Join(", ", Active)}], standby [{string.Join(", ", Standby)}]";
}
