namespace Tributary.Grains.KafkaFormats.OffsetsTopic;

/// <summary>
/// Which partition of <c>__consumer_offsets</c> holds a group: Kafka's <c>Utils.abs(groupId.hashCode()) % n</c>, with
/// Java's <c>String.hashCode</c> over UTF-16 code units, so that tools which compute it find the group where Kafka
/// would put it.
/// </summary>
public static class OffsetsTopicPartitioner
{
    public static int PartitionFor(string groupId, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitionCount);
        return Abs(JavaHashCode(groupId)) % partitionCount;
    }

    /// <summary>Java's <c>String.hashCode</c>: s[0]*31^(n-1) + ... + s[n-1], in 32-bit arithmetic.</summary>
    public static int JavaHashCode(string value)
    {
        var hash = 0;
        foreach (var c in value)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }

    /// <summary>Kafka's <c>Utils.abs</c>: the absolute value, and 0 for <see cref="int.MinValue"/>.</summary>
    private static int Abs(int value) => value == int.MinValue ? 0 : Math.Abs(value);
}
