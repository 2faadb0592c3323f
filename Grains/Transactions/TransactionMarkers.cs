namespace Tributary.Grains.Transactions;

/// <summary>Why a transaction is being ended.</summary>
public enum TransactionEndReason
{
    /// <summary>The producer's EndTxn.</summary>
    Requested,

    /// <summary>A decision stored by a coordinator that stopped before all its markers were written.</summary>
    Resumed,

    /// <summary>A new instance of the producer called InitProducerId: the old one is fenced and its transaction aborted.</summary>
    ProducerFenced,

    /// <summary>The transaction was open longer than its timeout: aborted, and its producer fenced.</summary>
    TimedOut,
}

/// <summary>
/// A decided commit or abort: the marker to write to each of its partitions, under the producer id and epoch given
/// (partitions refuse a lower epoch, or a lower coordinator epoch), and the groups whose pending offsets it completes.
/// </summary>
public sealed record TransactionMarkers(
    long ProducerId,
    short ProducerEpoch,
    int CoordinatorEpoch,
    bool Commit,
    IReadOnlyList<TopicPartition> Partitions,
    IReadOnlyList<string> Groups,
    TransactionEndReason Reason);
