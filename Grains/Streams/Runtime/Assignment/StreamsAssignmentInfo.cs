using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// What the leader tells a stream thread beside its partitions, in the assignment's user data (Kafka Streams'
/// <c>AssignmentInfo</c>, in a format of our own): the thread's active tasks, its instance's standby tasks (kept by
/// the instance's standby updater, whichever thread hears of them), whether the instance should ask for a probing
/// rebalance after <c>probing.rebalance.interval.ms</c>, once warm-up replicas may have caught up, and the standby
/// tasks of every instance that has an <c>application.server</c> (Kafka's <c>standbyPartitionsByHost</c>), for the
/// metadata of interactive queries.
/// </summary>
internal sealed record StreamsAssignmentInfo(
    IReadOnlyList<TaskId> ActiveTasks, IReadOnlyList<TaskId> StandbyTasks, bool ProbingRebalance, IReadOnlyDictionary<string, IReadOnlyList<TaskId>> StandbyTasksByHost)
{
    public const short Version = 1;

    public byte[] ToBytes() => new ProtocolWriter()
        .Int16(Version)
        .Array(ActiveTasks, WriteTask)
        .Array(StandbyTasks, WriteTask)
        .Int8(ProbingRebalance ? (sbyte)1 : (sbyte)0)
        .Array(StandbyTasksByHost.OrderBy(h => h.Key, StringComparer.Ordinal).ToList(), (w, h) => w.String(h.Key).Array(h.Value, WriteTask))
        .ToArray();

    public static StreamsAssignmentInfo Read(byte[]? bytes)
    {
        var r = new ProtocolReader(bytes ?? throw new InvalidDataException("A stream thread's assignment carries no user data"));
        var version = r.Int16();
        if (version != Version)
        {
            throw new InvalidDataException($"Assignment user data of version {version}; this thread reads version {Version}");
        }

        var active = r.Array(ReadTask);
        var standby = r.Array(ReadTask);
        var probing = r.Int8() != 0;
        var byHost = r.Array(h => (Host: h.RequiredString(), Tasks: h.Array(ReadTask))).ToDictionary(h => h.Host, h => h.Tasks);
        return new StreamsAssignmentInfo(active, standby, probing, byHost);
    }

    private static void WriteTask(ProtocolWriter w, TaskId task) => w.Int32(task.Subtopology).Int32(task.Partition);

    private static TaskId ReadTask(ProtocolReader r) => new(r.Int32(), r.Int32());
}
