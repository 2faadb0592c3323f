using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// The source partitions of a stream thread's tasks, which the thread assigns its consumer itself (the consumer is in
/// no group: the library's own member is). Tasks are made and closed while a rebalance is applied and while records
/// are routed, so the changes wait here, in order, until they are applied between polls. Until a partition taken
/// away is unassigned, records already fetched from it are dropped: its task is closed, and whoever owns the task
/// next reads them again from the committed offset (a task given back at once too, since it is unassigned and
/// assigned again, which resets the position to the committed offset).
/// </summary>
internal sealed class TaskPartitionAssignment
{
    private readonly List<(bool Assign, List<TopicPartition> Partitions)> _pending = [];
    private readonly HashSet<TopicPartition> _assigned = [];
    private readonly HashSet<TopicPartition> _leaving = [];

    /// <summary>Partitions to assign when the changes are applied (a new task's).</summary>
    public void Add(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        if (list.Count > 0)
        {
            _pending.Add((true, list));
        }
    }

    /// <summary>Partitions to unassign when the changes are applied (a closed task's); their fetched records are dropped until then.</summary>
    public void Remove(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        if (list.Count > 0)
        {
            _pending.Add((false, list));
            _leaving.UnionWith(list);
        }
    }

    /// <summary>Whether records of <paramref name="partition"/> belong to a task that has closed.</summary>
    public bool IsLeaving(string topic, Partition partition) => _leaving.Count > 0 && _leaving.Contains(new TopicPartition(topic, partition));

    /// <summary>Makes the waiting changes, in the order they were asked for.</summary>
    /// <param name="consumer">The thread's consumer.</param>
    /// <param name="startingOffsets">Where reading of newly assigned partitions starts: the group's committed offsets.</param>
    public void Apply(IConsumer<byte[]?, byte[]?> consumer, Func<List<TopicPartition>, IEnumerable<TopicPartitionOffset>> startingOffsets)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        foreach (var (assign, partitions) in _pending)
        {
            var changed = partitions.Where(assign ? _assigned.Add : _assigned.Remove).ToList();
            if (changed.Count == 0)
            {
                continue;
            }

            if (assign)
            {
                // Given, not left to the consumer: one that never joins a group looks its coordinator up first, which
                // can hold the first fetch back by a second.
                consumer.IncrementalAssign(startingOffsets(changed));
            }
            else
            {
                consumer.IncrementalUnassign(changed);
            }
        }

        _pending.Clear();
        _leaving.Clear();
    }
}
