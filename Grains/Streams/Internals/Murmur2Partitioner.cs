using System.Buffers.Binary;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// Kafka's murmur2 (<c>org.apache.kafka.common.utils.Utils.murmur2</c>, seed 0x9747b28c): the hash of the Java
/// producer's default partitioner, and of librdkafka's <c>murmur2_random</c>, which place a key's records. The
/// library keeps its own copy, as it depends on no part of the platform.
/// </summary>
internal static class Murmur2Partitioner
{
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint multiplier = 0x5bd1e995;
        var hash = 0x9747b28c ^ (uint)data.Length;
        var whole = data.Length / 4 * 4;
        for (var offset = 0; offset < whole; offset += 4)
        {
            var word = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]) * multiplier;
            word = (word ^ (word >> 24)) * multiplier;
            hash = (hash * multiplier) ^ word;
        }

        var rest = data[whole..];
        if (rest.Length > 0)
        {
            for (var i = rest.Length - 1; i >= 0; i--)
            {
                hash ^= (uint)rest[i] << (8 * i);
            }

            hash *= multiplier;
        }

        hash ^= hash >> 13;
        hash *= multiplier;
        hash ^= hash >> 15;
        return (int)hash;
    }
}
