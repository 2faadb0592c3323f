using Tributary.Grains.KafkaFormats.Replication;
namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// One partition's log, on the silo that holds its directory. Keyed by the partition index with the topic name as
/// key extension: <c>GetGrain&lt;IPartitionGrain&gt;(partition, topic)</c>, see <see cref="PartitionGrainKey"/>.
/// Appends are applied in the order they arrive; reads, offset queries and long polls interleave with them.
/// </summary>
[Alias("Tributary.Partitions.IPartitionGrain")]
public interface IPartitionGrain : IGrainWithIntegerCompoundKey
{
    /// <summary>
    /// Appends record batches (magic 2) as they came from the producer. Ownership of the buffer is transferred with
    /// the call (<see cref="TransferredRecords"/>): the partition assigns offsets by rewriting the batch headers in it,
    /// without a copy when it runs on the caller's silo, so the caller must never read or write it afterwards.
    /// </summary>
    [Alias("Append")]
    Task<AppendResult> AppendAsync(TransferredRecords records);

    /// <summary>
    /// Appends a producer's record batches, as <see cref="AppendAsync(TransferredRecords)"/>, whose buffer is handed
    /// over the same way; a transactional batch that would open a transaction here is written only once the
    /// coordinator of <paramref name="transactionalId"/> confirms that the partition is in its open transaction
    /// (KIP-890), so that no transaction hangs here unknown to its coordinator. INVALID_TXN_STATE when it is not,
    /// TRANSACTIONAL_ID_AUTHORIZATION_FAILED without an id. With <paramref name="requiredAcks"/> -1 (acks=all) the
    /// append needs <c>min.insync.replicas</c> in-sync replicas: NOT_ENOUGH_REPLICAS, nothing written, with fewer;
    /// and it answers once every in-sync replica holds it, or REQUEST_TIMED_OUT after <paramref name="timeoutMs"/>
    /// (the Produce request's <c>timeout_ms</c>), the records written all the same.
    /// </summary>
    [Alias("AppendFromProducer"), ResponseTimeout(LongCalls.ClientBoundedWait)]
    Task<AppendResult> AppendAsync(TransferredRecords records, string? transactionalId, short requiredAcks = 1, int timeoutMs = 30_000);

    /// <summary>
    /// Reads whole batches from an offset; with a max wait, waits for data to arrive first (as long as the client's
    /// <c>max.wait.ms</c> asks, hence the long response timeout). Cancelling ends the wait early with what is there.
    /// </summary>
    [Alias("Read"), ResponseTimeout(LongCalls.ClientBoundedWait)]
    Task<ReadResult> ReadAsync(ReadRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until a read of <paramref name="request"/> would find more than <paramref name="moreThan"/> bytes (counted
    /// up to its max bytes), or its max wait passes, or the caller cancels; answers how many it would find then. Reads
    /// nothing: Fetch sums these across its partitions to wait for <c>min.bytes</c>, as Kafka's delayed fetch does.
    /// </summary>
    [Alias("WaitForBytes"), ResponseTimeout(LongCalls.ClientBoundedWait)]
    Task<long> WaitForBytesAsync(ReadRequest request, long moreThan, CancellationToken cancellationToken = default);

    /// <summary>Log start offset, high watermark and log end offset.</summary>
    [Alias("GetOffsets")]
    Task<PartitionOffsets> GetOffsetsAsync();

    /// <summary>
    /// Kafka's OffsetForLeaderEpoch for one partition: where the data of <paramref name="leaderEpoch"/> (or the largest
    /// epoch below it) ends, once <paramref name="currentLeaderEpoch"/> (-1 for none) is checked against the
    /// partition's leader epoch (FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH).
    /// </summary>
    [Alias("EndOffsetForEpoch")]
    Task<EpochEndOffset> EndOffsetForEpochAsync(int currentLeaderEpoch, int leaderEpoch);

    /// <summary>
    /// Kafka's ListOffsets for one partition: -1 latest (the last stable offset when <paramref name="readCommitted"/>),
    /// -2 earliest, -3 the record with the largest timestamp, otherwise the first record whose timestamp is at least
    /// <paramref name="timestamp"/>. A <paramref name="currentLeaderEpoch"/> other than the partition's (-1 names none)
    /// is FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH.
    /// </summary>
    [Alias("ListOffset")]
    Task<ListOffsetResult> ListOffsetAsync(long timestamp, bool readCommitted = false, int currentLeaderEpoch = -1);

    /// <summary>
    /// Kafka's ListOffsets v0 for one partition, which answers from segments: up to <paramref name="maxNumOffsets"/>
    /// segment base offsets (and the log end offset) written at or before <paramref name="timestamp"/> (-1 latest, -2
    /// earliest), highest first; for a consumer (<paramref name="fromConsumer"/>), none past the high watermark.
    /// </summary>
    [Alias("LegacyListOffsets")]
    Task<IReadOnlyList<long>> LegacyListOffsetsAsync(long timestamp, int maxNumOffsets, bool fromConsumer);

    /// <summary>
    /// Writes a transaction's COMMIT or ABORT marker (a control batch) for a producer, as its transaction coordinator
    /// decided; the producer's transaction on this partition ends with it.
    /// </summary>
    [Alias("WriteTxnMarker")]
    Task<ErrorCode> WriteTxnMarkerAsync(long producerId, short producerEpoch, int coordinatorEpoch, bool commit);

    /// <summary>Kafka's DescribeProducers: the producers this partition keeps state for.</summary>
    [Alias("DescribeProducers")]
    Task<IReadOnlyList<ProducerDescription>> DescribeProducersAsync();

    /// <summary>Kafka's DeleteRecords: moves the log start offset (-1: to the high watermark).</summary>
    [Alias("DeleteRecords")]
    Task<DeleteRecordsResult> DeleteRecordsAsync(long offset);

    /// <summary>Applies retention now; returns the number of segments deleted.</summary>
    [Alias("EnforceRetention")]
    Task<int> EnforceRetentionAsync();

    /// <summary>The topic's configs changed: the log runs on <paramref name="configs"/> from the next append.</summary>
    [Alias("UpdateConfig")]
    Task UpdateConfigAsync(IReadOnlyDictionary<string, string> configs);

    /// <summary>The topic is deleted: closes the log, removes its directory and deactivates.</summary>
    /// <summary>
    /// The controller changed the partition's registration. The leader takes the new ISR and epochs; an activation
    /// on a broker that no longer leads at the new leader epoch resigns (acks=all appends still waiting are answered
    /// NOT_LEADER_OR_FOLLOWER), closes its log and deactivates, so that its broker can follow. A registration older
    /// than the one it holds changes nothing.
    /// </summary>
    [Alias("UpdateRegistration")]
    Task UpdateRegistrationAsync(PartitionRegistration registration);

    [Alias("Delete")]
    Task DeleteAsync();
}
