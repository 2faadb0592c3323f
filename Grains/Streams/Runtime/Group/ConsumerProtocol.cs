using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>What a member of a <c>consumer</c> group subscribes to: its topics, its assignor's own data, the partitions it owns.</summary>
internal sealed record ConsumerSubscription(IReadOnlyList<string> Topics, byte[]? UserData, IReadOnlyList<TopicPartition> OwnedPartitions);

/// <summary>What the leader gives a member: its partitions and the assignor's own data.</summary>
internal sealed record ConsumerAssignment(IReadOnlyList<TopicPartition> Partitions, byte[]? UserData);

/// <summary>
/// The embedded protocol of <c>consumer</c> groups (Kafka's <c>ConsumerProtocolSubscription</c> and
/// <c>ConsumerProtocolAssignment</c>): what goes in the JoinGroup metadata and the SyncGroup assignment, so that
/// Kafka's and librdkafka's consumers read ours and we read theirs in a mixed group. Written as subscription v1
/// (topics, user data, owned partitions) and assignment v1; read in any version 0–3, later fields skipped.
/// </summary>
internal static class ConsumerProtocol
{
    private const short Version = 1;

    public static byte[] Write(ConsumerSubscription subscription) => new ProtocolWriter()
        .Int16(Version)
        .Array(subscription.Topics, (w, t) => w.String(t))
        .Bytes(subscription.UserData, subscription.UserData is null)
        .Array(Grouped(subscription.OwnedPartitions), WriteTopic)
        .ToArray();

    public static ConsumerSubscription ReadSubscription(byte[] bytes)
    {
        var r = new ProtocolReader(bytes);
        var version = r.Int16();
        var topics = r.Array(t => t.RequiredString());
        var userData = r.Bytes();
        var owned = version >= 1 ? ReadPartitions(r) : [];
        return new ConsumerSubscription(topics, userData, owned);
    }

    public static byte[] Write(ConsumerAssignment assignment) => new ProtocolWriter()
        .Int16(Version)
        .Array(Grouped(assignment.Partitions), WriteTopic)
        .Bytes(assignment.UserData, assignment.UserData is null)
        .ToArray();

    /// <summary>An assignment; the empty one a coordinator sends a member the leader left out reads as no partitions.</summary>
    public static ConsumerAssignment ReadAssignment(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return new ConsumerAssignment([], null);
        }

        var r = new ProtocolReader(bytes);
        _ = r.Int16();
        return new ConsumerAssignment(ReadPartitions(r), r.Bytes());
    }

    private static List<(string Topic, List<int> Partitions)> Grouped(IEnumerable<TopicPartition> partitions) =>
        [.. partitions.GroupBy(p => p.Topic).Select(g => (g.Key, g.Select(p => p.Partition.Value).Order().ToList()))];

    private static void WriteTopic(ProtocolWriter w, (string Topic, List<int> Partitions) topic) =>
        w.String(topic.Topic).Array(topic.Partitions, (w, p) => w.Int32(p));

    private static List<TopicPartition> ReadPartitions(ProtocolReader r) =>
        [.. r.Array(t =>
        {
            var topic = t.RequiredString();
            return t.Array(p => new TopicPartition(topic, p.Int32()));
        }).SelectMany(t => t)];
}
