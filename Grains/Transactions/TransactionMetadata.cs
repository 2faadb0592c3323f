namespace Tributary.Grains.Transactions;

/// <summary>
/// One transactional id's state, after Kafka's TransactionMetadata: what its coordinator stores before any answer that
/// depends on it. Immutable: the coordinator replaces it at each change, so a copy handed out for storing stays as it was.
/// </summary>
public sealed record TransactionMetadata
{
    /// <summary>The producer id this transactional id owns, or -1 before its first InitProducerId.</summary>
    public long ProducerId { get; init; } = -1;

    public short ProducerEpoch { get; init; } = -1;

    /// <summary>The producer's <c>transaction.timeout.ms</c>.</summary>
    public int TimeoutMs { get; init; }

    public TransactionStatus Status { get; init; }

    /// <summary>The partitions the open transaction (or the decided one) writes to; none once it is complete.</summary>
    public IReadOnlyList<TopicPartition> Partitions { get; init; } = [];

    /// <summary>The groups whose offsets the open transaction commits.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>When the open transaction began (its first AddPartitions or AddOffsets), or -1.</summary>
    public long StartTimestampMs { get; init; } = -1;

    /// <summary>When a producer's request (or the coordinator acting on its transaction) last changed it: expiry counts from here.</summary>
    public long LastUpdateMs { get; init; }

    /// <summary>Grows with every load of stored state: markers from an older coordinator are refused.</summary>
    public int CoordinatorEpoch { get; init; }
}
