using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Grains.Connect.Mirror;

/// <summary>
/// Spreads topic-partitions over tasks in turn (Kafka's <c>MirrorSourceConnector.taskConfigs</c>): topics differ in
/// traffic and partition count, so dealing partitions one by one balances tasks better than whole topics. Three tasks
/// for topics of 8, 2 and 2 partitions get [t0p0, t0p3, t0p6, t1p1], [t0p1, t0p4, t0p7, t2p0], [t0p2, t0p5, t1p0, t2p1].
/// </summary>
internal static class RoundRobinAssignor
{
    /// <summary>At most <paramref name="maxTasks"/> groups, none empty; no groups when there are no partitions.</summary>
    public static IReadOnlyList<IReadOnlyList<TopicPartition>> Assign(IReadOnlyList<TopicPartition> partitions, int maxTasks)
    {
        var tasks = Math.Min(Math.Max(maxTasks, 0), partitions.Count);
        var groups = Enumerable.Range(0, tasks).Select(_ => new List<TopicPartition>()).ToList();
        for (var i = 0; i < partitions.Count && tasks > 0; i++)
        {
            groups[i % tasks].Add(partitions[i]);
        }

        return groups;
    }
}
