using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// How tasks are assigned through a group protocol that knows nothing of them. Kafka Streams' own assignor gives a
/// task (sub-topology <c>s</c>, partition <c>p</c>) partition <c>p</c> of every source topic of <c>s</c> at once and
/// keeps tasks where they were; librdkafka's assignors cannot be replaced, and only its range assignor keeps
/// co-partitioned topics together, at the price of moving most tasks whenever a member joins or leaves. So the group
/// is asked for one topic per sub-topology, its anchor (the source topic with the most partitions, as many as the
/// sub-topology has tasks; the first by name among equals), under the sticky cooperative assignor, and a thread adds
/// the other source topics' partition <c>p</c> (where they have one) itself when it is given anchor partition
/// <c>p</c>, and drops them when it loses it. Tasks then stay where they are across rebalances, and
/// a rebalance stops only the tasks that move.
/// </summary>
internal sealed class CopartitionGroups
{
    private readonly IReadOnlyDictionary<string, int> _subtopologyOfTopic;
    private readonly Dictionary<int, string> _anchors;
    private readonly Dictionary<int, List<(string Topic, int Partitions)>> _followers;

    public CopartitionGroups(IReadOnlyDictionary<string, int> subtopologyOfTopic, Func<string, int> partitionCount)
    {
        _subtopologyOfTopic = subtopologyOfTopic;
        var topicsBySubtopology = subtopologyOfTopic
            .GroupBy(p => p.Value, p => p.Key)
            .ToDictionary(
                g => g.Key,
                g => g.Select(topic => (Topic: topic, Partitions: partitionCount(topic)))
                    .OrderByDescending(t => t.Partitions)
                    .ThenBy(t => t.Topic, StringComparer.Ordinal)
                    .ToList());
        _anchors = topicsBySubtopology.ToDictionary(p => p.Key, p => p.Value[0].Topic);
        _followers = topicsBySubtopology.ToDictionary(p => p.Key, p => p.Value.Skip(1).ToList());
    }

    /// <summary>The topics a stream thread subscribes to: one per sub-topology.</summary>
    public IReadOnlyCollection<string> AnchorTopics => _anchors.Values;

    /// <summary>The task a partition of a source topic (anchor or not) feeds.</summary>
    public TaskId TaskOf(TopicPartition partition) => new(_subtopologyOfTopic[partition.Topic], partition.Partition.Value);

    /// <summary>Every source topic of the tasks.</summary>
    public IEnumerable<string> SourceTopics => _subtopologyOfTopic.Keys;

    /// <summary>Whether <paramref name="topic"/> is a source topic of some task.</summary>
    public bool IsSource(string topic) => _subtopologyOfTopic.ContainsKey(topic);

    /// <summary>The partition of a task's anchor topic, which the group assigns.</summary>
    public TopicPartition AnchorOf(TaskId task) => new(_anchors[task.Subtopology], task.Partition);

    /// <summary>The partitions of a task's source topics other than its anchor, which the thread assigns itself.</summary>
    public IEnumerable<TopicPartition> FollowersOf(TaskId task) =>
        _followers[task.Subtopology].Where(f => task.Partition < f.Partitions).Select(f => new TopicPartition(f.Topic, task.Partition));

    /// <summary>All the partitions a task reads: its anchor's, then its other source topics'.</summary>
    public IEnumerable<TopicPartition> SourcePartitionsOf(TaskId task) => FollowersOf(task).Prepend(AnchorOf(task));

    /// <summary>
    /// Every source partition behind a member's group assignment (its anchor partitions), as the metadata of
    /// interactive queries reports them.
    /// </summary>
    public IEnumerable<TopicPartition> WithFollowers(IEnumerable<TopicPartition> assigned) =>
        assigned.SelectMany(p => _subtopologyOfTopic.TryGetValue(p.Topic, out var subtopology) && _anchors[subtopology] == p.Topic
            ? SourcePartitionsOf(new TaskId(subtopology, p.Partition.Value))
            : [p]);
}
