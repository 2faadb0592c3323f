using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// Where the standby replicas of a task live. Kafka's assignor places them and tells each instance in its
/// assignment; librdkafka's assignors cannot, so every instance works it out alike from the group's description:
/// the instances (each stream thread's consumer client id begins with <c>&lt;application.id&gt;-&lt;process id&gt;-</c>)
/// in the order of their process ids form a ring, and a task's standbys are the
/// <c>num.standby.replicas</c> instances after the one it is active on (fewer when there are not that many others).
/// </summary>
internal static class StandbyPlacement
{
    /// <summary>The process id in a stream thread's consumer client id, or null for a client of another kind.</summary>
    public static string? ProcessIdOf(string applicationId, string clientId)
    {
        var prefix = applicationId + "-";
        const int GuidLength = 36;
        return clientId.StartsWith(prefix, StringComparison.Ordinal) && clientId.Length > prefix.Length + GuidLength
            && Guid.TryParseExact(clientId.AsSpan(prefix.Length, GuidLength), "D", out _)
            ? clientId.Substring(prefix.Length, GuidLength)
            : null;
    }

    /// <summary>The instance each task is active on, from the members' client ids and assigned partitions.</summary>
    public static Dictionary<TaskId, string> ActiveTasks(
        string applicationId, IEnumerable<(string ClientId, IEnumerable<TopicPartition> Partitions)> members, IReadOnlyDictionary<string, int> subtopologyOfTopic)
    {
        var active = new Dictionary<TaskId, string>();
        foreach (var (clientId, partitions) in members)
        {
            if (ProcessIdOf(applicationId, clientId) is not { } process)
            {
                continue;
            }

            foreach (var partition in partitions)
            {
                if (subtopologyOfTopic.TryGetValue(partition.Topic, out var subtopology))
                {
                    active[new TaskId(subtopology, partition.Partition.Value)] = process;
                }
            }
        }

        return active;
    }

    /// <summary>The instances that keep standbys of a task active on <paramref name="active"/>, among <paramref name="instances"/>.</summary>
    public static IReadOnlyList<string> StandbysOf(string active, IReadOnlyCollection<string> instances, int replicas)
    {
        var ring = instances.Append(active).Distinct().Order(StringComparer.Ordinal).ToList();
        var at = ring.IndexOf(active);
        return [.. Enumerable.Range(1, Math.Min(replicas, ring.Count - 1)).Select(k => ring[(at + k) % ring.Count])];
    }
}
