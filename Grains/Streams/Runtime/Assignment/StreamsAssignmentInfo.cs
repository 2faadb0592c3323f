using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// What the leader tells a stream thread beside its partitions, in the assignment's user data (Kafka Streams'
/// <c>AssignmentInfo</c>, in a format of our own): the thread's active tasks, its instance's standby tasks (kept by
/// the instance's standby updater, whichever thread hears of them), and whether the instance should ask for a
/// probing rebalance after <c>probing.rebalance.interval.ms</c>, once warm-up replicas may have caught up.
/// </summary>
internal sealed record StreamsAssignmentInfo(IReadOnlyList<TaskId> ActiveTasks, IReadOnlyList<TaskId> StandbyTasks, bool ProbingRebalance)
{
    public const short Version = 1;

    public byte[] ToBytes() => new ProtocolWriter()
        .Int16(Version)
        .Array(ActiveTasks, WriteTask)
        .Array(StandbyTasks, WriteTask)
        .Int8(ProbingRebalance ? (sbyte)1 : (sbyte)0)
        .ToArray();

    public static StreamsAssignmentInfo Read(byte[]? bytes)
    {
        var r = new ProtocolReader(bytes ?? throw new InvalidDataException("A stream thread's assignment carries no user data"));
        var version = r.Int16();
        if (version != Version)
        {
            throw new InvalidDataException($"Assignment user data of version {version}; this thread reads version {Version}");
        }

        return new StreamsAssignmentInfo(r.Array(ReadTask), r.Array(ReadTask), r.Int8() != 0);
    }

    private static void WriteTask(ProtocolWriter w, TaskId task) => w.Int32(task.Subtopology).Int32(task.Partition);

    private static TaskId ReadTask(ProtocolReader r) => new(r.Int32(), r.Int32());
}
