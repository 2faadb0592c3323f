using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage.Producers;

/// <summary>What checking one batch against its producer's state found.</summary>
public readonly record struct ProducerCheck(ErrorCode Error, string? Message, ProducerBatchMetadata? Duplicate)
{
    public static readonly ProducerCheck Accepted = new(ErrorCode.None, null, null);

    public bool IsDuplicate => Duplicate.HasValue;
}

/// <summary>
/// The producer-state changes of one append, after Kafka's ProducerAppendInfo: each batch is checked against its
/// producer's state as updated by the batches before it in the same append, and nothing reaches the
/// <see cref="ProducerStateManager"/> until <see cref="ProducerStateManager.Commit"/>, after the bytes are written.
/// </summary>
public sealed class ProducerAppend
{
    private readonly ProducerStateManager _manager;
    private readonly AppendOrigin _origin;
    private readonly long _nowMs;

    internal ProducerAppend(ProducerStateManager manager, AppendOrigin origin, long nowMs)
    {
        _manager = manager;
        _origin = origin;
        _nowMs = nowMs;
    }

    // A client's append is one batch, so one producer: its state is held without a dictionary, which only an append of
    // several producers' batches (recovery replaying the log) needs.
    private ProducerStateEntry? _first;
    private Dictionary<long, ProducerStateEntry>? _others;
    private List<CompletedTransaction>? _completed;

    /// <summary>The first producer's state after this append, or null when no batch had a producer.</summary>
    internal ProducerStateEntry? FirstUpdated => _first;

    /// <summary>The states of the other producers after this append, or null.</summary>
    internal Dictionary<long, ProducerStateEntry>? OtherUpdated => _others;

    /// <summary>Transactions ended by markers in this append, in order.</summary>
    public IReadOnlyList<CompletedTransaction> Completed => (IReadOnlyList<CompletedTransaction>?)_completed ?? [];

    /// <summary>
    /// Checks a batch whose offsets are assigned and records its effect: sequence and epoch rules for producer batches
    /// from clients (Kafka's error codes, or the earlier batch it duplicates), transaction starts, and the end of a
    /// transaction for a marker. Recovery replays batches without checks.
    /// </summary>
    public ProducerCheck Add(ReadOnlySpan<byte> batch)
    {
        var producerId = RecordBatch.ProducerId(batch);
        if (producerId < 0)
        {
            return ProducerCheck.Accepted;
        }

        var epoch = RecordBatch.ProducerEpoch(batch);
        var entry = Updated(producerId) ?? _manager.Get(producerId)?.Clone() ?? new ProducerStateEntry(producerId);
        var check = RecordBatch.IsControl(batch) ? AddMarker(entry, batch, epoch) : AddData(entry, batch, epoch);
        if (check.Error == ErrorCode.None && !check.IsDuplicate)
        {
            entry.LastAppendTimeMs = _nowMs;
            if (_first is null || _first.ProducerId == producerId)
            {
                _first = entry;
            }
            else
            {
                (_others ??= [])[producerId] = entry;
            }
        }

        return check;
    }

    private ProducerStateEntry? Updated(long producerId) =>
        _first?.ProducerId == producerId ? _first : _others?.GetValueOrDefault(producerId);

    private ProducerCheck AddData(ProducerStateEntry entry, ReadOnlySpan<byte> batch, short epoch)
    {
        var firstSequence = RecordBatch.BaseSequence(batch);
        var lastSequence = IncrementSequence(firstSequence, RecordBatch.LastOffsetDelta(batch));
        var transactional = RecordBatch.IsTransactional(batch);
        if (_origin == AppendOrigin.Client)
        {
            if (entry.FindDuplicate(epoch, firstSequence, lastSequence) is { } duplicate)
            {
                return new ProducerCheck(ErrorCode.None, null, duplicate);
            }

            if (epoch < entry.Epoch)
            {
                return new ProducerCheck(ErrorCode.InvalidProducerEpoch,
                    $"Producer {entry.ProducerId} wrote with epoch {epoch}, older than its current epoch {entry.Epoch}.", null);
            }

            if (SequenceError(entry, epoch, firstSequence) is { } message)
            {
                return new ProducerCheck(ErrorCode.OutOfOrderSequenceNumber, message, null);
            }

            if (!transactional && entry.CurrentTransactionFirstOffset >= 0)
            {
                return new ProducerCheck(ErrorCode.InvalidTxnState,
                    $"Producer {entry.ProducerId} wrote outside a transaction while its transaction is open.", null);
            }
        }

        var firstOffset = RecordBatch.BaseOffset(batch);
        entry.AddBatch(epoch, new ProducerBatchMetadata(firstSequence, lastSequence, firstOffset, RecordBatch.LastOffset(batch), _nowMs));
        if (transactional && entry.CurrentTransactionFirstOffset < 0)
        {
            entry.CurrentTransactionFirstOffset = firstOffset;
        }

        return ProducerCheck.Accepted;
    }

    private ProducerCheck AddMarker(ProducerStateEntry entry, ReadOnlySpan<byte> batch, short epoch)
    {
        if (!TransactionMarker.TryRead(batch, out var marker))
        {
            return new ProducerCheck(ErrorCode.InvalidRecord, "A control batch that is not a transaction marker.", null);
        }

        if (_origin is AppendOrigin.Client or AppendOrigin.Coordinator)
        {
            if (epoch < entry.Epoch)
            {
                return new ProducerCheck(ErrorCode.InvalidProducerEpoch,
                    $"Marker for producer {entry.ProducerId} with epoch {epoch}, older than its current epoch {entry.Epoch}.", null);
            }

            if (marker.CoordinatorEpoch < entry.CoordinatorEpoch)
            {
                return new ProducerCheck(ErrorCode.TransactionCoordinatorFenced,
                    $"Marker for producer {entry.ProducerId} from coordinator epoch {marker.CoordinatorEpoch}, older than {entry.CoordinatorEpoch}.", null);
            }
        }

        var offset = RecordBatch.BaseOffset(batch);
        var firstOffset = entry.CurrentTransactionFirstOffset >= 0 ? entry.CurrentTransactionFirstOffset : offset;
        (_completed ??= []).Add(new CompletedTransaction(entry.ProducerId, firstOffset, offset, !marker.IsCommit));
        entry.UpdateEpoch(epoch);
        entry.CoordinatorEpoch = marker.CoordinatorEpoch;
        entry.CurrentTransactionFirstOffset = -1;
        return ProducerCheck.Accepted;
    }

    /// <summary>Kafka's rules: a new epoch starts at sequence 0, the same epoch continues from the last sequence.</summary>
    private static string? SequenceError(ProducerStateEntry entry, short epoch, int firstSequence)
    {
        if (entry.Epoch == -1)
        {
            // No state for this producer (new, expired, or its records deleted): any sequence is taken.
            return null;
        }

        if (epoch != entry.Epoch)
        {
            return firstSequence == 0 ? null
                : $"Producer {entry.ProducerId} started epoch {epoch} at sequence {firstSequence}, not 0.";
        }

        var last = entry.LastSequence;
        return firstSequence == last + 1L || (firstSequence == 0 && last == int.MaxValue) ? null
            : $"Producer {entry.ProducerId} sent sequence {firstSequence} after {last}.";
    }

    /// <summary>Sequences wrap from Int32.MaxValue to 0.</summary>
    internal static int IncrementSequence(int sequence, int increment) =>
        sequence > int.MaxValue - increment ? increment - (int.MaxValue - sequence) - 1 : sequence + increment;
}
