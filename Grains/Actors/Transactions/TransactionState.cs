using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.Transactions;
using EngineStatus = Tributary.Grains.Transactions.TransactionStatus;

namespace Tributary.Grains.Actors.Transactions;

/// <summary>
/// <see cref="TransactionState.Status"/> as stored: by value, so these values stay what existing brokers wrote. The
/// coordinator's own states are <see cref="EngineStatus"/>, by the same names.
/// </summary>
public enum TransactionStatus
{
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
}

/// <summary>One transactional id's <see cref="TransactionMetadata"/>, as stored.</summary>
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

    public static TransactionState From(TransactionMetadata metadata) => new()
    {
        ProducerId = metadata.ProducerId,
        ProducerEpoch = metadata.ProducerEpoch,
        TimeoutMs = metadata.TimeoutMs,
        Status = Enum.Parse<TransactionStatus>(metadata.Status.ToString()),
        Partitions = metadata.Partitions.Select(p => new TransactionPartition(p.Topic, p.Partition)).ToList(),
        Groups = [.. metadata.Groups],
        StartTimestampMs = metadata.StartTimestampMs,
        LastUpdateMs = metadata.LastUpdateMs,
        CoordinatorEpoch = metadata.CoordinatorEpoch,
    };

    public TransactionMetadata ToMetadata() => new()
    {
        ProducerId = ProducerId,
        ProducerEpoch = ProducerEpoch,
        TimeoutMs = TimeoutMs,
        Status = Enum.Parse<EngineStatus>(Status.ToString()),
        Partitions = Partitions.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList(),
        Groups = [.. Groups],
        StartTimestampMs = StartTimestampMs,
        LastUpdateMs = LastUpdateMs,
        CoordinatorEpoch = CoordinatorEpoch,
    };
}
