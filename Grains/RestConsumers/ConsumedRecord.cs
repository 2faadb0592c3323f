namespace Tributary.Grains.RestConsumers;

/// <summary>A data record a poll returns: where it is, its timestamp, its key and value bytes as produced.</summary>
public sealed record ConsumedRecord(TopicPartition Partition, long Offset, long Timestamp, byte[]? Key, byte[]? Value)
{
    /// <summary>What the record counts against a poll's <c>max_bytes</c>: its key and value.</summary>
    public int Size => (Key?.Length ?? 0) + (Value?.Length ?? 0);
}
