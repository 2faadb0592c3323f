using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Transactions;

/// <summary>
/// One transactional id's coordinator, after Kafka's TransactionCoordinator and TransactionMetadata: the producer id and
/// epoch it hands out, its open transaction's partitions and groups, and every decision on them (fencing, epoch bumps,
/// commits and aborts, timeouts, expiry).
/// <para>It performs no I/O. A request returns the first <see cref="TransactionStep"/> its owner must do (store the
/// state, take a producer id, write markers); the owner does it and calls <see cref="Continue()"/> for the next, until an
/// <see cref="TransactionStep.Answer"/>. The state changes between steps, in the order a transaction needs to end whole:
/// a commit or abort is stored as decided (PrepareCommit, PrepareAbort) before any marker is written, and becomes
/// complete only once every marker is. The outcome is stored with the next change or by <see cref="Flush"/>, not on its
/// own: a restart that finds the decision writes the same markers again, which changes nothing.</para>
/// <para>Invariants: an open transaction (Ongoing, PrepareCommit, PrepareAbort) is the current producer id and epoch's;
/// a decision found stored is finished before any other request is decided.</para>
/// <para>Not thread-safe: its owner runs one request at a time, and may read <see cref="Metadata"/> or ask
/// <see cref="VerifyPartition"/> between steps. A step that fails abandons its request: the next request starts from
/// the state the failed one reached (a decision it stored is finished first). After a crash, <see cref="Load"/> what was
/// stored. Time comes from <paramref name="time"/>.</para>
/// </summary>
public sealed partial class TransactionCoordinator(TimeSpan maxTransactionTimeout, TimeProvider time)
{
    private static readonly TransactionStep.Answer Done = new(ErrorCode.None);

    private IEnumerator<TransactionStep>? _request;
    private long _allocatedProducerId = -1;
    private bool _outcomeUnstored;

    /// <summary>The current state, including changes not stored yet (between steps, or an outcome awaiting the next store).</summary>
    public TransactionMetadata Metadata { get; private set; } = new();

    /// <summary>Whether this transactional id is known: its state was stored (or loaded) and not forgotten.</summary>
    public bool Exists { get; private set; }

    /// <summary>A transaction is open, so a timeout check must run until it ends.</summary>
    public bool IsOpen => Metadata.Status.IsOpen();

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Takes the stored state (null when nothing is stored) as a new coordinator: its coordinator epoch grows.</summary>
    public TransactionStep Load(TransactionMetadata? stored) => Start(LoadSteps(stored));

    /// <summary>
    /// InitProducerId: the first call takes a producer id, later ones bump its epoch (or take a new id once the epoch is
    /// exhausted), fencing older producers and aborting a transaction they left open. On success the answer's producer
    /// id and epoch are <see cref="Metadata"/>'s.
    /// </summary>
    public TransactionStep InitProducerId(int transactionTimeoutMs, long expectedProducerId, short expectedProducerEpoch) =>
        Start(InitProducerIdSteps(transactionTimeoutMs, expectedProducerId, expectedProducerEpoch));

    /// <summary>AddPartitionsToTxn: the partitions the transaction writes to; the first addition opens the transaction.</summary>
    public TransactionStep AddPartitions(long producerId, short producerEpoch, IEnumerable<TopicPartition> partitions) =>
        Start(AddPartitionsSteps(producerId, producerEpoch, partitions.ToList()));

    /// <summary>AddOffsetsToTxn: the group whose offsets the transaction commits.</summary>
    public TransactionStep AddOffsets(long producerId, short producerEpoch, string groupId) =>
        Start(AddOffsetsSteps(producerId, producerEpoch, groupId));

    /// <summary>EndTxn: commits or aborts the open transaction; a retry of one already ended is answered as it was.</summary>
    public TransactionStep EndTxn(long producerId, short producerEpoch, bool commit) =>
        Start(EndTxnSteps(producerId, producerEpoch, commit));

    /// <summary>
    /// The periodic check while a transaction is open: finishes a decision left by a restart, and aborts a transaction
    /// open for its timeout or longer, fencing its producer.
    /// </summary>
    public TransactionStep CheckTimeout() => Start(CheckTimeoutSteps());

    /// <summary>Before the owner goes away: stores an outcome not stored yet.</summary>
    public TransactionStep Flush() => Start(FlushSteps());

    /// <summary>The owner did what the current step asked (stored, wrote markers): the next step.</summary>
    public TransactionStep Continue()
    {
        var step = _request?.Current ?? throw new InvalidOperationException("No request is waiting on a step.");
        if (step is TransactionStep.AllocateProducerId)
        {
            throw new InvalidOperationException("A producer id was asked for: continue with it.");
        }

        if (step is TransactionStep.Store)
        {
            Exists = true;
            _outcomeUnstored = false;
        }

        return Next();
    }

    /// <summary>The owner took the producer id the current step asked for: the next step.</summary>
    public TransactionStep Continue(long producerId)
    {
        if (_request?.Current is not TransactionStep.AllocateProducerId)
        {
            throw new InvalidOperationException("No producer id was asked for.");
        }

        _allocatedProducerId = producerId;
        return Next();
    }

    /// <summary>
    /// KIP-890's verification, asked by a partition before a transactional batch opens a transaction there: whether the
    /// producer's open transaction has added <paramref name="partition"/>. Only reads, so it may be asked between steps.
    /// </summary>
    public ErrorCode VerifyPartition(long producerId, short producerEpoch, TopicPartition partition) =>
        !Exists || Metadata.ProducerId < 0 || producerId != Metadata.ProducerId ? ErrorCode.InvalidProducerIdMapping
        : producerEpoch < Metadata.ProducerEpoch ? ErrorCode.InvalidProducerEpoch
        : producerEpoch == Metadata.ProducerEpoch && Metadata.Status == TransactionStatus.Ongoing && Metadata.Partitions.Contains(partition) ? ErrorCode.None
        : ErrorCode.InvalidTxnState;

    /// <summary>
    /// Kafka's <c>transactional.id.expiration.ms</c>: whether this id may be forgotten now, known with no transaction
    /// open and unchanged for <paramref name="expiration"/>. The owner then deletes what it stored and calls <see cref="Forget"/>.
    /// </summary>
    public bool IsExpired(TimeSpan expiration) =>
        Exists && !IsOpen && NowMs - Metadata.LastUpdateMs >= expiration.TotalMilliseconds;

    /// <summary>The stored state was deleted: the id is unknown again, and a producer that comes back starts afresh.</summary>
    public void Forget()
    {
        Metadata = new TransactionMetadata();
        Exists = false;
        _outcomeUnstored = false;
        _request = null;
    }

    private TransactionStep Start(IEnumerable<TransactionStep> steps)
    {
        // A request still waiting here failed at one of its steps: it is abandoned where it stopped.
        _request = steps.GetEnumerator();
        return Next();
    }

    private TransactionStep Next()
    {
        if (!_request!.MoveNext())
        {
            throw new InvalidOperationException("A request ended without an answer.");
        }

        var step = _request.Current;
        if (step is TransactionStep.Answer)
        {
            _request = null;
        }

        return step;
    }
}
