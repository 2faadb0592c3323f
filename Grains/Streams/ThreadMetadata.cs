using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams;

/// <summary>A stream thread of this instance and the tasks it runs now (Kafka's <c>ThreadMetadata</c>).</summary>
public sealed record ThreadMetadata(string ThreadName, IReadOnlyList<TaskMetadata> ActiveTasks);

/// <summary>An active task and the source partitions it reads (Kafka's <c>TaskMetadata</c>).</summary>
public sealed record TaskMetadata(TaskId TaskId, IReadOnlyList<TopicPartition> TopicPartitions);
