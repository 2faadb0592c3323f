namespace Tributary.Grains.Streams.Processor;

/// <summary>Where the record being processed came from.</summary>
public sealed record RecordMetadata(string Topic, int Partition, long Offset);
