using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage.Producers;

/// <summary>
/// Every producer's state on one partition and the transactions open there, after Kafka's ProducerStateManager. The
/// first offset of the oldest open transaction bounds the last stable offset, below which read_committed consumers
/// read. Changed only by the partition's single writer (under the log's append lock); the first unstable offset is
/// published for readers.
/// </summary>
public sealed class ProducerStateManager
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];
    private readonly SortedSet<long> _openTransactions = [];
    private long _firstUnstableOffset = long.MaxValue;

    /// <summary>The first offset of the oldest open transaction, or Int64.MaxValue when none is open. Any thread.</summary>
    public long FirstUnstableOffset => Volatile.Read(ref _firstUnstableOffset);

    public int Count => _producers.Count;

    /// <summary>
    /// True when the state changed since the last snapshot was captured: a closing log with no change writes none,
    /// since the last one replayed with the batches after it (none of them a producer's) gives the same state.
    /// </summary>
    public bool ChangedSinceSnapshot { get; internal set; }

    public IEnumerable<ProducerStateEntry> Producers => _producers.Values;

    public ProducerStateEntry? Get(long producerId) => _producers.GetValueOrDefault(producerId);

    public ProducerAppend BeginAppend(AppendOrigin origin, long nowMs) => new(this, origin, nowMs);

    /// <summary>
    /// The producer of the first transactional data batch in <paramref name="records"/> that would open a transaction
    /// here (its producer has none open), or null: what must be verified with the transaction's coordinator first.
    /// The bytes are not validated yet: a batch whose size does not fit ends the scan, for the validator to refuse.
    /// </summary>
    public (long ProducerId, short Epoch)? FirstTransactionOpener(ReadOnlySpan<byte> records)
    {
        for (var position = 0; position + RecordBatch.HeaderSize <= records.Length;)
        {
            var batch = records[position..];
            var size = RecordBatch.TotalSize(batch);
            if (size < RecordBatch.HeaderSize || size > batch.Length)
            {
                return null;
            }

            position += size;
            if (RecordBatch.IsTransactional(batch) && !RecordBatch.IsControl(batch)
                && !(Get(RecordBatch.ProducerId(batch))?.CurrentTransactionFirstOffset >= 0))
            {
                return (RecordBatch.ProducerId(batch), RecordBatch.ProducerEpoch(batch));
            }
        }

        return null;
    }

    /// <summary>
    /// Checks, in order, the batches of an append (offsets assigned) that carry a producer id: idempotent and
    /// transactional batches and markers; the others do not touch the producer state. Stops at the first error or
    /// duplicate. <paramref name="append"/> holds the changes to <see cref="Commit(ProducerAppend)"/> once the bytes
    /// are written, or is null when no batch has a producer.
    /// </summary>
    public ProducerCheck CheckAppend(ReadOnlySpan<byte> records, AppendOrigin origin, long nowMs, out ProducerAppend? append)
    {
        append = null;
        for (var position = 0; position < records.Length;)
        {
            var batch = records[position..];
            position += RecordBatch.TotalSize(batch);
            if (RecordBatch.ProducerId(batch) < 0)
            {
                continue;
            }

            append ??= BeginAppend(origin, nowMs);
            var check = append.Add(batch);
            if (check.Error != ErrorCode.None || check.IsDuplicate)
            {
                return check;
            }
        }

        return ProducerCheck.Accepted;
    }

    /// <summary>Takes the changes of an append whose bytes are written.</summary>
    public void Commit(ProducerAppend append)
    {
        ChangedSinceSnapshot = true;
        var completed = append.Completed;
        for (var i = 0; i < completed.Count; i++)
        {
            _openTransactions.Remove(completed[i].FirstOffset);
        }

        if (append.FirstUpdated is { } first)
        {
            Update(first);
        }

        if (append.OtherUpdated is { } others)
        {
            foreach (var entry in others.Values)
            {
                Update(entry);
            }
        }

        PublishFirstUnstableOffset();
    }

    /// <summary>
    /// Takes the changes of an append whose bytes are written, and records the transactions it aborted in the
    /// transaction index of the segment that holds them, with the last stable offset as it stands after the append.
    /// </summary>
    internal void Commit(ProducerAppend append, TransactionIndex abortedTransactions)
    {
        Commit(append);
        var ended = append.Completed;
        for (var i = 0; i < ended.Count; i++)
        {
            var completed = ended[i];
            if (completed.IsAborted)
            {
                abortedTransactions.Append(new AbortedTransaction(
                    completed.ProducerId, completed.FirstOffset, completed.LastOffset, LastStableOffsetAfter(completed)));
            }
        }
    }

    private void Update(ProducerStateEntry entry)
    {
        if (_producers.GetValueOrDefault(entry.ProducerId)?.CurrentTransactionFirstOffset is >= 0 and var previous && previous != entry.CurrentTransactionFirstOffset)
        {
            _openTransactions.Remove(previous);
        }

        _producers[entry.ProducerId] = entry;
        if (entry.CurrentTransactionFirstOffset >= 0)
        {
            _openTransactions.Add(entry.CurrentTransactionFirstOffset);
        }
    }

    /// <summary>
    /// The last stable offset to record with an aborted transaction: where the log is stable once it ended, given the
    /// transactions still open.
    /// </summary>
    public long LastStableOffsetAfter(CompletedTransaction completed) => Math.Min(FirstUnstableOffset, completed.LastOffset + 1);

    /// <summary>Forgets producers idle for <paramref name="expirationMs"/> with no open transaction. Returns how many went.</summary>
    public int RemoveExpired(long nowMs, long expirationMs)
    {
        var expired = _producers.Values
            .Where(e => e.CurrentTransactionFirstOffset < 0 && nowMs - e.LastAppendTimeMs >= expirationMs)
            .Select(e => e.ProducerId)
            .ToList();
        foreach (var producerId in expired)
        {
            _producers.Remove(producerId);
        }

        ChangedSinceSnapshot |= expired.Count > 0;
        return expired.Count;
    }

    /// <summary>
    /// The state as snapshot bytes for the log end <paramref name="offset"/>; with <paramref name="onlyIfChanged"/>,
    /// null when nothing changed since the last one.
    /// </summary>
    internal byte[]? CaptureSnapshot(long offset, bool onlyIfChanged)
    {
        if (onlyIfChanged && !ChangedSinceSnapshot)
        {
            return null;
        }

        ChangedSinceSnapshot = false;
        return ProducerSnapshotFile.Serialize(offset, _producers.Values);
    }

    /// <summary>Replaces all state with what a snapshot held.</summary>
    internal void Load(IEnumerable<ProducerStateEntry> entries)
    {
        _producers.Clear();
        _openTransactions.Clear();
        foreach (var entry in entries)
        {
            _producers[entry.ProducerId] = entry;
            if (entry.CurrentTransactionFirstOffset >= 0)
            {
                _openTransactions.Add(entry.CurrentTransactionFirstOffset);
            }
        }

        PublishFirstUnstableOffset();
    }

    private void PublishFirstUnstableOffset()
    {
        // SortedSet.Min walks to the leftmost node; enumerating would allocate a stack per call.
        Volatile.Write(ref _firstUnstableOffset, _openTransactions.Count > 0 ? _openTransactions.Min : long.MaxValue);
    }
}
