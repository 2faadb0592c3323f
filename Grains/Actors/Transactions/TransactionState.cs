using Tributary.Grains.Interfaces.Transactions;

namespace Tributary.Grains.Actors.Transactions;

/// <summary>Kafka's transaction states, by the names DescribeTransactions and ListTransactions use.</summary>
public enum TransactionStatus
{
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
}

/// <summary>One transactional id's coordinator state, as stored: written before any answer that depends on it.</summary>
[GenerateSerializer, Alias("Tributary.Grains.TransactionState")]
public sealed class TransactionState
{
    [Id(0)]
    public long ProducerId { get; set; } = -1;

    [Id(1)]
    public short ProducerEpoch { get; set; } = -1;

    [Id(2)]
    public int TimeoutMs { get; set; }

    [Id(3)]
    public TransactionStatus Status { get; set; }

    [Id(4)]
    public List<TransactionPartition> Partitions { get; set; } = [];

    [Id(5)]
    public List<string> Groups { get; set; } = [];

    /// <summary>When the open transaction began (its first AddPartitions or AddOffsets), or -1.</summary>
    [Id(6)]
    public long StartTimestampMs { get; set; } = -1;

    [Id(7)]
    public long LastUpdateMs { get; set; }

    /// <summary>Grows with every activation that finds stored state: markers from an older activation are refused.</summary>
    [Id(8)]
    public int CoordinatorEpoch { get; set; }
}
