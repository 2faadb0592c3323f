using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// The transactional producer of an exactly-once source task, speaking to the platform's transaction coordinator as a
/// Kafka producer would: InitProducerId (which fences the task's older instances, a zombie's open transaction aborted),
/// AddPartitionsToTxn before the first batch to a partition, batches with the producer's id, epoch and sequences, and
/// EndTxn. One task's writer calls it, one request at a time, except <see cref="NewBatch"/> and <see cref="Written"/>:
/// the writer appends to a poll's partitions concurrently, so their sequences are kept under a lock.
/// </summary>
internal sealed class TransactionalProducer(IGrainFactory grains, string transactionalId)
{
    /// <summary>Kafka's producer default <c>transaction.timeout.ms</c>: a transaction left open longer is aborted.</summary>
    private const int TransactionTimeoutMs = 60_000;

    private readonly Dictionary<(string Topic, int Partition), int> _sequences = [];
    private readonly HashSet<(string Topic, int Partition)> _inTransaction = [];
    private long _producerId = -1;
    private short _epoch = -1;

    public string TransactionalId => transactionalId;

    public bool InTransaction => _inTransaction.Count > 0;

    private ITransactionCoordinatorGrain Coordinator => grains.GetGrain<ITransactionCoordinatorGrain>(transactionalId);

    public async Task InitializeAsync()
    {
        var result = await Coordinator.InitProducerIdAsync(TransactionTimeoutMs, -1, -1);
        if (result.Error != KafkaFormats.ErrorCode.None)
        {
            throw new Tributary.Grains.Connect.Api.ConnectException($"The transactional id {transactionalId} could not be initialized: {result.Error}");
        }

        _producerId = result.ProducerId;
        _epoch = result.ProducerEpoch;
        lock (_sequences)
        {
            _sequences.Clear();
        }

        _inTransaction.Clear();
    }

    /// <summary>Adds to the open transaction the partitions not yet in it (AddPartitionsToTxn).</summary>
    public async Task AddAsync(IEnumerable<(string Topic, int Partition)> partitions)
    {
        var added = partitions.Where(p => !_inTransaction.Contains(p)).Distinct().ToList();
        if (added.Count == 0)
        {
            return;
        }

        var error = await Coordinator.AddPartitionsAsync(_producerId, _epoch, [.. added.Select(p => new TransactionPartition(p.Topic, p.Partition))]);
        if (error != KafkaFormats.ErrorCode.None)
        {
            throw Failure("adding partitions to", error);
        }

        _inTransaction.UnionWith(added);
    }

    /// <summary>A batch builder for the partition's next records in the transaction, of about <paramref name="expectedBytes"/>.</summary>
    public RecordBatchBuilder NewBatch((string Topic, int Partition) partition, CompressionType compression, int expectedBytes)
    {
        int sequence;
        lock (_sequences)
        {
            sequence = _sequences.GetValueOrDefault(partition);
        }

        return new()
        {
            Compression = compression,
            ProducerId = _producerId,
            ProducerEpoch = _epoch,
            BaseSequence = sequence,
            IsTransactional = true,
            ExpectedBytes = expectedBytes,
        };
    }

    /// <summary>
    /// The partition's records up to here were written: its next batch's sequence follows them. Called concurrently for
    /// a poll's partitions (their appends complete together, an acks=all wait released by one replica fetch): without
    /// the lock, two first inserts into the map after <see cref="InitializeAsync"/> cleared it could lose one, and that
    /// partition's next batch would go out at sequence 0 again, which the partition takes for a retry of the first batch
    /// of this epoch and answers as a duplicate, writing nothing while the transaction commits its offsets.
    /// </summary>
    public void Written((string Topic, int Partition) partition, int records)
    {
        lock (_sequences)
        {
            _sequences[partition] = (int)((_sequences.GetValueOrDefault(partition) + (long)records) % ((long)int.MaxValue + 1));
        }
    }

    public Task CommitAsync() => EndAsync(commit: true);

    public Task AbortAsync() => EndAsync(commit: false);

    private async Task EndAsync(bool commit)
    {
        if (!InTransaction)
        {
            return;
        }

        var error = await Coordinator.EndAsync(_producerId, _epoch, commit);
        _inTransaction.Clear();
        if (error != KafkaFormats.ErrorCode.None)
        {
            throw Failure(commit ? "committing" : "aborting", error);
        }
    }

    private Tributary.Grains.Connect.Api.ConnectException Failure(string what, KafkaFormats.ErrorCode error) => new(
        error == KafkaFormats.ErrorCode.ProducerFenced || error == KafkaFormats.ErrorCode.InvalidProducerEpoch
            ? $"The task's transactional producer {transactionalId} was fenced by a newer instance of the task while {what} its transaction ({error})"
            : $"The transactional producer {transactionalId} failed {what} its transaction: {error}");
}
