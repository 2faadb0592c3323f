using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>
/// What one cleaning pass knows of transactions while it walks the log in offset order, after Kafka's
/// CleanedTransactionMetadata: which producers are inside an aborted transaction (their data is dropped), which
/// inside a committed one, and whether a marker still governs data that remains (then it stays).
/// <para>A commit marker may go once no batch of its transaction was met in this pass (they were all cleaned away
/// before); an abort marker may go once no batch of its transaction is left, which is true in any pass that met
/// none of them, since aborted data is always dropped. A marker that may go still waits for its delete horizon.</para>
/// </summary>
internal sealed class CleanedTransactions
{
    private readonly Queue<AbortedTransaction> _aborted;
    private readonly Dictionary<long, AbortedInProgress> _ongoingAborted = [];
    private readonly HashSet<long> _ongoingCommitted = [];

    /// <param name="aborted">The aborted transactions whose records lie in the range the pass walks.</param>
    public CleanedTransactions(IEnumerable<AbortedTransaction> aborted) =>
        _aborted = new Queue<AbortedTransaction>(aborted.OrderBy(t => t.FirstOffset));

    /// <summary>The aborted transactions whose markers a pass kept, for the cleaned segment's transaction index.</summary>
    public List<AbortedTransaction> RetainedAborts { get; } = [];

    /// <summary>
    /// Reads a data batch's header; true when the batch belongs to an aborted transaction, so that its records go.
    /// </summary>
    public bool IsAbortedData(ReadOnlySpan<byte> batch)
    {
        ConsumeAbortedUpTo(RecordBatch.LastOffset(batch));
        if (!RecordBatch.IsTransactional(batch))
        {
            return false;
        }

        var producerId = RecordBatch.ProducerId(batch);
        if (_ongoingAborted.TryGetValue(producerId, out var aborted))
        {
            aborted.SeenData = true;
            return true;
        }

        _ongoingCommitted.Add(producerId);
        return false;
    }

    /// <summary>
    /// Reads a control batch; true when its marker governs nothing left and may go once its delete horizon passes. A
    /// control batch that is not a commit or abort marker is never discardable.
    /// </summary>
    public bool IsMarkerDiscardable(ReadOnlySpan<byte> batch)
    {
        ConsumeAbortedUpTo(RecordBatch.LastOffset(batch));
        if (!TransactionMarker.TryRead(batch, out var marker))
        {
            return false;
        }

        var producerId = RecordBatch.ProducerId(batch);
        if (marker.IsCommit)
        {
            return !_ongoingCommitted.Remove(producerId);
        }

        if (_ongoingAborted.Remove(producerId, out var aborted) && aborted.SeenData)
        {
            RetainedAborts.Add(aborted.Transaction);
            return false;
        }

        return true;
    }

    private void ConsumeAbortedUpTo(long offset)
    {
        while (_aborted.TryPeek(out var next) && next.FirstOffset <= offset)
        {
            _aborted.Dequeue();
            _ongoingAborted[next.ProducerId] = new AbortedInProgress(next);
        }
    }

    private sealed class AbortedInProgress(AbortedTransaction transaction)
    {
        public AbortedTransaction Transaction { get; } = transaction;

        public bool SeenData { get; set; }
    }
}
