using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// What a task knows of the record being processed: its time, where it came from and its headers (Kafka's
/// <c>ProcessorRecordContext</c>). A cached store keeps it with each change, so that a change written or forwarded
/// later carries the context of the record that made it.
/// </summary>
internal readonly record struct ProcessorRecordContext(long Timestamp, RecordMetadata? Metadata, Headers Headers);
