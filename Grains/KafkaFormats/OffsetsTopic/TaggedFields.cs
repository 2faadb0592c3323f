using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Grains.KafkaFormats.OffsetsTopic;

/// <summary>A flexible version's tagged fields, none of which these records define: read past.</summary>
internal static class TaggedFields
{
    public static void Skip(ref KafkaReader reader)
    {
        var count = reader.ReadUnsignedVarint();
        for (var i = 0; i < count; i++)
        {
            reader.ReadUnsignedVarint();
            reader.Skip((int)reader.ReadUnsignedVarint());
        }
    }
}
