using Confluent.Kafka;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// The <c>cooperative-sticky</c> assignment (KIP-429), for a group the library's threads share with consumers of an
/// earlier version of it, which joined through librdkafka's cooperative sticky assignor with each sub-topology's
/// anchor topic (<see cref="CopartitionGroups"/>): while any of them remains, that is the only protocol every member
/// supports, and a thread of this version that leads the group assigns by it. Each member keeps the partitions it
/// owns (those no other member claims too) while its share lasts (the group's partitions of its topics over the
/// members, rounded up); the rest go to the members of the topic with the fewest; a partition owned by one member
/// and given to another is withheld until its owner has let it go and the group has rebalanced again. Assignments
/// are written in Kafka's consumer protocol, which librdkafka reads.
/// </summary>
internal static class CooperativeStickyAssignor
{
    public const string ProtocolName = "cooperative-sticky";

    public static Dictionary<string, byte[]> Assign(IReadOnlyList<JoinedMember> members, Func<string, int> partitionCount)
    {
        var subscriptions = members
            .Select(m => (m.MemberId, Subscription: ConsumerProtocol.ReadSubscription(m.Metadata)))
            .OrderBy(m => m.MemberId, StringComparer.Ordinal)
            .ToList();
        var topics = subscriptions.SelectMany(s => s.Subscription.Topics).Distinct().Order(StringComparer.Ordinal).ToList();
        var partitions = topics.SelectMany(t => Enumerable.Range(0, partitionCount(t)).Select(p => new TopicPartition(t, p))).ToList();
        var known = partitions.ToHashSet();
        var owners = subscriptions
            .SelectMany(s => s.Subscription.OwnedPartitions.Where(p => known.Contains(p) && s.Subscription.Topics.Contains(p.Topic)).Distinct(), (s, p) => (Partition: p, s.MemberId))
            .GroupBy(o => o.Partition)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single().MemberId);

        var given = subscriptions.ToDictionary(s => s.MemberId, _ => new List<TopicPartition>());
        int Share(string memberId)
        {
            var subscribed = subscriptions.Single(s => s.MemberId == memberId).Subscription.Topics;
            var total = partitions.Count(p => subscribed.Contains(p.Topic));
            var sharing = subscriptions.Count(s => s.Subscription.Topics.Intersect(subscribed).Any());
            return (int)Math.Ceiling((double)total / Math.Max(1, sharing));
        }

        var rest = new List<TopicPartition>();
        foreach (var partition in partitions)
        {
            if (owners.TryGetValue(partition, out var owner) && given[owner].Count < Share(owner))
            {
                given[owner].Add(partition);
            }
            else
            {
                rest.Add(partition);
            }
        }

        foreach (var partition in rest)
        {
            var candidates = subscriptions.Where(s => s.Subscription.Topics.Contains(partition.Topic)).Select(s => s.MemberId).ToList();
            if (candidates.Count > 0)
            {
                given[candidates.OrderBy(m => given[m].Count).ThenBy(m => m, StringComparer.Ordinal).First()].Add(partition);
            }
        }

        return given.ToDictionary(
            g => g.Key,
            g => ConsumerProtocol.Write(new ConsumerAssignment(
                [.. g.Value.Where(p => !owners.TryGetValue(p, out var owner) || owner == g.Key)], null)));
    }
}
