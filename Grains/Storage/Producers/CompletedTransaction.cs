namespace Tributary.Grains.Storage.Producers;

/// <summary>A transaction a marker just ended on a partition: from its first record to the marker itself.</summary>
public readonly record struct CompletedTransaction(long ProducerId, long FirstOffset, long LastOffset, bool IsAborted);
