using System.Buffers;
using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Grains.KafkaFormats.Messages;

/// <summary>
/// The "consumer" protocol's payloads inside JoinGroup and SyncGroup: an int16 version, then a
/// ConsumerProtocolSubscription or ConsumerProtocolAssignment of that version. Versions newer than this codec knows
/// are read by their known prefix, as Kafka's own clients do; what cannot be read counts as empty.
/// </summary>
public static class ConsumerProtocol
{
    public static byte[] EncodeSubscription(IReadOnlyList<string> topics) =>
        Encode((ref KafkaWriter writer) => new ConsumerProtocolSubscription { Topics = topics.ToList(), UserData = null }.Write(ref writer, 0));

    public static byte[] EncodeAssignment(IEnumerable<(string Topic, int Partition)> partitions) =>
        Encode((ref KafkaWriter writer) => new ConsumerProtocolAssignment
        {
            AssignedPartitions = partitions.GroupBy(p => p.Topic).Select(t => new ConsumerProtocolAssignment.TopicPartition
            {
                Topic = t.Key,
                Partitions = t.Select(p => p.Partition).ToList(),
            }).ToList(),
            UserData = null,
        }.Write(ref writer, 0));

    public static IReadOnlyList<string> DecodeSubscriptionTopics(ReadOnlyMemory<byte> metadata)
    {
        var subscription = new ConsumerProtocolSubscription();
        return TryRead(metadata, ConsumerProtocolSubscription.HighestVersion, subscription) ? subscription.Topics : [];
    }

    public static IReadOnlyList<(string Topic, int Partition)> DecodeAssignment(ReadOnlyMemory<byte> assignment)
    {
        var decoded = new ConsumerProtocolAssignment();
        return TryRead(assignment, ConsumerProtocolAssignment.HighestVersion, decoded)
            ? decoded.AssignedPartitions.SelectMany(t => t.Partitions.Select(p => (t.Topic, p))).ToList()
            : [];
    }

    private static bool TryRead(ReadOnlyMemory<byte> payload, short highestVersion, IKafkaMessage message)
    {
        if (payload.Length < 2)
        {
            return false;
        }

        var version = Math.Min(BinaryPrimitives.ReadInt16BigEndian(payload.Span), highestVersion);
        if (version < 0)
        {
            return false;
        }

        try
        {
            var reader = new KafkaReader(payload[2..]);
            message.Read(ref reader, version);
            return true;
        }
        catch (MalformedRequestException)
        {
            return false;
        }
    }

    private static byte[] Encode(WriteBody body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(0);
        body(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    private delegate void WriteBody(ref KafkaWriter writer);
}
