namespace Tributary.Grains.Transactions;

/// <summary>A partition a transaction writes to.</summary>
public readonly record struct TopicPartition(string Topic, int Partition);
