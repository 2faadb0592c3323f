using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// The source partitions a stream thread assigns itself beside its anchor partitions (see <see cref="CopartitionGroups"/>).
/// Tasks are made and closed in the consumer's rebalance handlers, which must not change the assignment themselves
/// (Confluent.Kafka refuses), so the changes wait here, in order, until the poll returns. Until a partition taken away
/// is unassigned, records already fetched from it are dropped: its task is closed, and whoever owns the task next
/// reads them again from the committed offset (a task given back within the same poll too, since it is unassigned
/// and assigned again, which resets the position to the committed offset).
/// </summary>
internal sealed class FollowerAssignment
{
    private readonly List<(bool Assign, List<TopicPartition> Partitions)> _pending = [];
    private readonly HashSet<TopicPartition> _assigned = [];
    private readonly HashSet<TopicPartition> _leaving = [];

    /// <summary>Partitions to assign once the poll returns (a new task's).</summary>
    public void Add(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        if (list.Count > 0)
        {
            _pending.Add((true, list));
        }
    }

    /// <summary>Partitions to unassign once the poll returns (a closed task's); their fetched records are dropped until then.</summary>
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
    public void Apply(IConsumer<byte[]?, byte[]?> consumer)
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
                // From the committed offsets, as the group assigns partitions.
                consumer.IncrementalAssign(changed);
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
