using System.Buffers.Binary;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// The Java producer's default partitioner for keyed records: murmur2 of the key bytes, sign bit cleared, modulo the
/// partition count. A record the platform writes itself (REST Proxy, Connect) lands where a Java or librdkafka (murmur2_random) producer
/// would put the same key, so keyed order holds across producers.
/// </summary>
public static class KafkaPartitioner
{
    public static int PartitionFor(ReadOnlySpan<byte> key, int partitionCount) => (Murmur2(key) & 0x7fffffff) % partitionCount;

    /// <summary>Kafka's murmur2 (seed 0x9747b28c), as in <c>org.apache.kafka.common.utils.Utils.murmur2</c>.</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28c ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        var tail = data[(blocks * 4)..];
        switch (tail.Length)
        {
            case 3:
                h ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                h ^= tail[0];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
