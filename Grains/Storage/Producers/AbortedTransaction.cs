namespace Tributary.Grains.Storage.Producers;

/// <summary>
/// An aborted transaction as read_committed consumers need it: the producer and the offset range its records span
/// (first record to abort marker), and the last stable offset once it ended.
/// </summary>
public readonly record struct AbortedTransaction(long ProducerId, long FirstOffset, long LastOffset, long LastStableOffset);
