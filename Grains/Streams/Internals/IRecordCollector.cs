using Confluent.Kafka;

namespace Tributary.Grains.Streams.Internals;

/// <summary>Where a task's output goes: sink records and changelog records, as bytes (Kafka's <c>RecordCollector</c>).</summary>
internal interface IRecordCollector
{
    /// <param name="partition">the partition, or null for the producer's partitioner (the key's murmur2 hash)</param>
    void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp, int? partition);

    /// <summary>The number of partitions of a topic, for a sink with its own partitioner.</summary>
    int PartitionCount(string topic);

    /// <summary>The offset of the last record acknowledged in a partition, if this collector wrote one there.</summary>
    long? LastOffset(string topic, int partition);
}
