namespace Tributary.Grains.Storage.Producers;

/// <summary>
/// One producer's state on one partition, after Kafka's ProducerStateEntry: its epoch, the metadata of its last
/// <see cref="MaxCachedBatches"/> batches (what duplicate detection can recognise, and why clients keep at most five
/// requests in flight), the coordinator epoch of its last transaction marker, and the first offset of its open
/// transaction.
/// </summary>
public sealed class ProducerStateEntry(long producerId)
{
    public const int MaxCachedBatches = 5;

    // A ring of the last batches, oldest at _first: an append clones the entry, so it stays one small array.
    private readonly ProducerBatchMetadata[] _batches = new ProducerBatchMetadata[MaxCachedBatches];
    private int _first;
    private int _count;

    public long ProducerId { get; } = producerId;

    /// <summary>-1 until the producer's first batch or marker.</summary>
    public short Epoch { get; internal set; } = -1;

    public int CoordinatorEpoch { get; internal set; } = -1;

    /// <summary>Broker time of the producer's last append, for <c>producer.id.expiration.ms</c>.</summary>
    public long LastAppendTimeMs { get; internal set; }

    /// <summary>First offset of the producer's open transaction on this partition, or -1.</summary>
    public long CurrentTransactionFirstOffset { get; internal set; } = -1;

    /// <summary>The cached batches, oldest first.</summary>
    public IReadOnlyList<ProducerBatchMetadata> Batches => Enumerable.Range(0, _count).Select(Batch).ToArray();

    /// <summary>The last sequence written, or -1.</summary>
    public int LastSequence => _count > 0 ? Batch(_count - 1).LastSequence : -1;

    /// <summary>The offset of the last batch written, or -1.</summary>
    public long LastOffset => _count > 0 ? Batch(_count - 1).LastOffset : -1;

    public ProducerStateEntry Clone()
    {
        var copy = new ProducerStateEntry(ProducerId)
        {
            Epoch = Epoch,
            CoordinatorEpoch = CoordinatorEpoch,
            LastAppendTimeMs = LastAppendTimeMs,
            CurrentTransactionFirstOffset = CurrentTransactionFirstOffset,
        };
        _batches.CopyTo(copy._batches, 0);
        (copy._first, copy._count) = (_first, _count);
        return copy;
    }

    /// <summary>The cached batch with exactly this epoch and sequence range: a retry of a batch already written.</summary>
    public ProducerBatchMetadata? FindDuplicate(short epoch, int firstSequence, int lastSequence)
    {
        if (epoch != Epoch)
        {
            return null;
        }

        for (var i = 0; i < _count; i++)
        {
            var batch = Batch(i);
            if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
            {
                return batch;
            }
        }

        return null;
    }

    /// <summary>Moves to <paramref name="epoch"/>; a new epoch starts its sequences afresh, so the cached batches go.</summary>
    internal void UpdateEpoch(short epoch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            (_first, _count) = (0, 0);
        }
    }

    internal void AddBatch(short epoch, ProducerBatchMetadata batch)
    {
        UpdateEpoch(epoch);
        RestoreBatch(batch);
    }

    /// <summary>Adds a batch after the others, the oldest going once <see cref="MaxCachedBatches"/> are held.</summary>
    internal void RestoreBatch(ProducerBatchMetadata batch)
    {
        if (_count < MaxCachedBatches)
        {
            _batches[(_first + _count++) % MaxCachedBatches] = batch;
        }
        else
        {
            _batches[_first] = batch;
            _first = (_first + 1) % MaxCachedBatches;
        }
    }

    private ProducerBatchMetadata Batch(int index) => _batches[(_first + index) % MaxCachedBatches];
}
