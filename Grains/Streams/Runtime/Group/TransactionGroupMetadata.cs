using System.Buffers.Binary;
using System.Reflection;
using System.Text;
using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>
/// The group metadata a transaction's offsets go with (<c>SendOffsetsToTransaction</c>), made from this library's
/// own member, so that the coordinator checks the offsets against the group's current generation and member as
/// Kafka's exactly-once v2 relies on: a thread the group has put out cannot commit its last transaction's offsets.
/// Confluent.Kafka takes the metadata only from a consumer that joined through librdkafka, as an opaque object
/// holding librdkafka's serialized form (<c>rd_kafka_consumer_group_metadata_write</c>: the 7 bytes
/// <c>CGMDv2:</c>, the generation id in the machine's byte order, the group id and member id each ended by a NUL, a
/// byte that is 1 when there is no group instance id, else 0 and the instance id ended by a NUL). That form is
/// written here and set into Confluent.Kafka's metadata object by reflection; should a later Confluent.Kafka not
/// have that object, <see cref="Create"/> answers null.
/// </summary>
internal static class TransactionGroupMetadata
{
    private static readonly Type? MetadataType = typeof(IConsumerGroupMetadata).Assembly.GetType("Confluent.Kafka.ConsumerGroupMetadata");
    private static readonly FieldInfo? SerializedField = MetadataType?.GetField("serializedMetadata", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The metadata of <paramref name="generation"/>, or null when Confluent.Kafka's metadata object cannot be made.</summary>
    public static IConsumerGroupMetadata? Create(string groupId, GroupGeneration generation, string? groupInstanceId)
    {
        if (MetadataType is null || SerializedField is null || SerializedField.FieldType != typeof(byte[]))
        {
            return null;
        }

        var metadata = (IConsumerGroupMetadata)Activator.CreateInstance(MetadataType, nonPublic: true)!;
        SerializedField.SetValue(metadata, Serialize(groupId, generation.GenerationId, generation.MemberId, groupInstanceId));
        return metadata;
    }

    /// <summary>librdkafka's serialized consumer group metadata.</summary>
    public static byte[] Serialize(string groupId, int generationId, string memberId, string? groupInstanceId)
    {
        var bytes = new List<byte>(64);
        bytes.AddRange("CGMDv2:"u8.ToArray());
        var generation = new byte[4];
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteInt32LittleEndian(generation, generationId);
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(generation, generationId);
        }

        bytes.AddRange(generation);
        AddTerminated(bytes, groupId);
        AddTerminated(bytes, memberId);
        bytes.Add(groupInstanceId is null ? (byte)1 : (byte)0);
        if (groupInstanceId is not null)
        {
            AddTerminated(bytes, groupInstanceId);
        }

        return [.. bytes];
    }

    /// <summary>The serialized form inside Confluent.Kafka's metadata object (for checking it against librdkafka's own).</summary>
    public static byte[]? SerializedForm(IConsumerGroupMetadata metadata) => SerializedField?.GetValue(metadata) as byte[];

    private static void AddTerminated(List<byte> bytes, string text)
    {
        bytes.AddRange(Encoding.UTF8.GetBytes(text));
        bytes.Add(0);
    }
}
