namespace Tributary.Grains.RestConsumers;

/// <summary>A partition of a topic.</summary>
public readonly record struct TopicPartition(string Topic, int Partition);

/// <summary>A partition and an offset in it: a position to seek to, or an offset to commit.</summary>
public readonly record struct PartitionOffset(TopicPartition Partition, long Offset);

/// <summary>Where a partition's records begin (log start offset) and where a consumer's reading ends (high watermark).</summary>
public readonly record struct PartitionBounds(long LogStartOffset, long HighWatermark);
