using Orleans.Concurrency;

namespace Tributary.Grains.Interfaces.Transactions;

/// <summary>
/// The transaction coordinator of one <c>transactional.id</c> (the grain's key), after Kafka's TransactionCoordinator:
/// the producer id and epoch it owns, its open transaction's partitions and groups, and the commit or abort that
/// writes markers to all of them. Calls run one at a time, so any of them may wait behind a commit writing its markers:
/// their response timeout covers that (<see cref="LongCalls.TransactionCompletion"/>).
/// </summary>
[Alias("Tributary.Transactions.ITransactionCoordinatorGrain")]
public interface ITransactionCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>
    /// InitProducerId for this transactional id: the first call allocates a producer id, later ones bump its epoch,
    /// fencing older producers and aborting a transaction they left open.
    /// </summary>
    [Alias("InitProducerId"), ResponseTimeout(LongCalls.TransactionCompletion)]
    Task<InitProducerIdResult> InitProducerIdAsync(int transactionTimeoutMs, long expectedProducerId, short expectedProducerEpoch);

    /// <summary>AddPartitionsToTxn: the partitions the open transaction writes to. One error for them all.</summary>
    [Alias("AddPartitions"), ResponseTimeout(LongCalls.TransactionCompletion)]
    Task<ErrorCode> AddPartitionsAsync(long producerId, short producerEpoch, IReadOnlyList<TransactionPartition> partitions);

    /// <summary>AddOffsetsToTxn: the group whose offsets the transaction commits.</summary>
    [Alias("AddOffsets"), ResponseTimeout(LongCalls.TransactionCompletion)]
    Task<ErrorCode> AddOffsetsAsync(long producerId, short producerEpoch, string groupId);

    /// <summary>EndTxn: commits or aborts the open transaction; answers once every marker is written.</summary>
    [Alias("End"), ResponseTimeout(LongCalls.TransactionCompletion)]
    Task<ErrorCode> EndAsync(long producerId, short producerEpoch, bool commit);

    /// <summary>
    /// Whether the producer's open transaction has added <paramref name="partition"/> (KIP-890's verification, asked by
    /// a partition before a transactional batch opens a transaction there). Interleaves: it only reads, and a partition
    /// asking may be one that a commit running here is waiting on.
    /// </summary>
    [Alias("VerifyPartition"), AlwaysInterleave]
    Task<ErrorCode> VerifyPartitionAsync(long producerId, short producerEpoch, TransactionPartition partition);

    /// <summary>DescribeTransactions for this id, or null when it is unknown.</summary>
    [Alias("Describe"), ResponseTimeout(LongCalls.TransactionCompletion)]
    Task<TransactionDescription?> DescribeAsync();

    /// <summary>Activates the coordinator so that it finishes or times out a transaction left open by a restart.</summary>
    [Alias("Resume"), ResponseTimeout(LongCalls.TransactionCompletion)]
    Task ResumeAsync();

    /// <summary>
    /// Kafka's <c>transactional.id.expiration.ms</c>: forgets this id (state and catalog entry) when no transaction is
    /// open and no producer request changed it for <paramref name="expiration"/>. True when it was forgotten.
    /// </summary>
    [Alias("ExpireIfIdle"), ResponseTimeout(LongCalls.TransactionCompletion)]
    Task<bool> ExpireIfIdleAsync(TimeSpan expiration);
}

/// <summary>
/// Every transactional id with its producer id and state, for ListTransactions, and so that a restarted cluster can
/// wake the coordinators whose transactions are open. One instance, key 0.
/// </summary>
[Alias("Tributary.Transactions.ITransactionCatalogGrain")]
public interface ITransactionCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>A coordinator's state changed; one-way, so that a transaction never waits on the catalog.</summary>
    [Alias("Update"), OneWay]
    Task UpdateAsync(TransactionListing listing);

    [Alias("Remove")]
    Task RemoveAsync(string transactionalId);

    [Alias("List")]
    Task<IReadOnlyList<TransactionListing>> ListAsync();
}
