namespace Tributary.Grains.Storage.Producers;

/// <summary>What a producer's batch was given: its sequence range and the offsets it was written at.</summary>
public readonly record struct ProducerBatchMetadata(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long AppendTimeMs);
