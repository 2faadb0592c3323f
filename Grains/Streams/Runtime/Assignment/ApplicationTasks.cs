using Confluent.Kafka;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// The tasks of an application as the leader assigns them: one per partition of each (non-global) sub-topology, as
/// many as its source topic with the most partitions has; a task is stateful when its sub-topology has a store whose
/// changes are logged (Kafka Streams' stateful tasks), and its changelog partitions are partition <c>p</c> of each
/// such store's <c>&lt;application.id&gt;-&lt;store&gt;-changelog</c>.
/// </summary>
internal sealed class ApplicationTasks
{
    private readonly Dictionary<int, List<string>> _changelogsBySubtopology = [];

    public ApplicationTasks(Topology topology, string applicationId, Func<string, int> partitionCount)
    {
        var all = new List<TaskId>();
        foreach (var subtopology in topology.Subtopologies().Where(s => !s.IsGlobal))
        {
            var partitions = subtopology.SourceTopics.Max(t => partitionCount(topology.TopicName(applicationId, t)));
            all.AddRange(Enumerable.Range(0, partitions).Select(p => new TaskId(subtopology.Id, p)));
            var changelogs = subtopology.StoreNames
                .Where(name => topology.StoreBuilders[name].LoggingEnabled)
                .Select(name => ProcessorStateManager.ChangelogTopic(applicationId, name))
                .ToList();
            if (changelogs.Count > 0)
            {
                _changelogsBySubtopology[subtopology.Id] = changelogs;
            }
        }

        All = all;
        Stateful = all.Where(t => _changelogsBySubtopology.ContainsKey(t.Subtopology)).ToHashSet();
    }

    public IReadOnlyList<TaskId> All { get; }

    public IReadOnlySet<TaskId> Stateful { get; }

    /// <summary>Every changelog partition of every stateful task.</summary>
    public IEnumerable<TopicPartition> ChangelogPartitions =>
        Stateful.SelectMany(task => _changelogsBySubtopology[task.Subtopology].Select(topic => new TopicPartition(topic, task.Partition)));

    /// <summary>
    /// Each stateful task's sum of its changelog partitions' end offsets, from <paramref name="endOffsets"/>; a partition
    /// missing there counts as empty.
    /// </summary>
    public Dictionary<TaskId, long> EndOffsetSums(IReadOnlyDictionary<TopicPartition, long> endOffsets) =>
        Stateful.ToDictionary(
            task => task,
            task => _changelogsBySubtopology[task.Subtopology].Sum(topic => Math.Max(0, endOffsets.GetValueOrDefault(new TopicPartition(topic, task.Partition)))));
}
