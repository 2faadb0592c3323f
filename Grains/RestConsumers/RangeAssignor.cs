using Tributary.Grains.KafkaFormats.Messages;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.RestConsumers;

/// <summary>
/// Kafka's RangeAssignor, which the group's leader runs: per topic, the members subscribed to it, in member id order,
/// take consecutive ranges of its partitions, the first ones one more when the count does not divide evenly. Every
/// Kafka client offers it, so native consumers in the same group agree on it.
/// </summary>
public static class RangeAssignor
{
    /// <summary>The protocol name the assignor is known by in JoinGroup.</summary>
    public const string Name = "range";

    /// <summary>The topics some member subscribes to, in ordinal order: the leader needs their partition counts.</summary>
    public static IReadOnlyList<string> TopicsOf(IReadOnlyList<GroupJoinedMember> members) =>
        members.SelectMany(m => ConsumerProtocol.DecodeSubscriptionTopics(m.Metadata)).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Every member's partitions (an empty list for a member that gets none). A topic missing from
    /// <paramref name="partitionCounts"/> does not exist and is assigned to nobody.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(
        IReadOnlyList<GroupJoinedMember> members, IReadOnlyDictionary<string, int> partitionCounts)
    {
        var subscriptions = members.ToDictionary(
            m => m.MemberId, m => ConsumerProtocol.DecodeSubscriptionTopics(m.Metadata).ToHashSet(StringComparer.Ordinal));
        var assigned = members.ToDictionary(m => m.MemberId, _ => new List<TopicPartition>());
        foreach (var topic in subscriptions.Values.SelectMany(t => t).Distinct().Order(StringComparer.Ordinal))
        {
            if (!partitionCounts.TryGetValue(topic, out var partitions))
            {
                continue;
            }

            var subscribers = subscriptions.Where(s => s.Value.Contains(topic)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
            var each = partitions / subscribers.Count;
            var extra = partitions % subscribers.Count;
            for (var i = 0; i < subscribers.Count; i++)
            {
                var start = i * each + Math.Min(i, extra);
                var count = each + (i < extra ? 1 : 0);
                assigned[subscribers[i]].AddRange(Enumerable.Range(start, count).Select(p => new TopicPartition(topic, p)));
            }
        }

        return assigned.ToDictionary(a => a.Key, a => (IReadOnlyList<TopicPartition>)a.Value);
    }

    /// <summary>The assignments as the leader's SyncGroup carries them, in the consumer protocol's encoding.</summary>
    public static Dictionary<string, byte[]> Encode(IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> assignments) =>
        assignments.ToDictionary(a => a.Key, a => ConsumerProtocol.EncodeAssignment(a.Value.Select(p => (p.Topic, p.Partition))));
}
