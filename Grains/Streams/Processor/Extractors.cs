namespace Tributary.Grains.Streams.Processor;

/// <summary>Chooses a sink's topic per record (Kafka's <c>TopicNameExtractor</c>).</summary>
public delegate string TopicNameExtractor<TKey, TValue>(TKey key, TValue value, RecordContext context);

/// <summary>Chooses a sink's partition per record (Kafka's <c>StreamPartitioner</c>); null leaves it to the key's hash.</summary>
public delegate int? StreamPartitioner<TKey, TValue>(string topic, TKey key, TValue value, int partitionCount);

/// <summary>The context of the record being written: its origin and timestamp.</summary>
public sealed record RecordContext(string? Topic, int Partition, long Offset, long Timestamp, Confluent.Kafka.Headers Headers);
