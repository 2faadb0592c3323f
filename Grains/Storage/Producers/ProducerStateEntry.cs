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

    private readonly List<ProducerBatchMetadata> _batches = [];

    public long ProducerId { get; } = producerId;

    /// <summary>-1 until the producer's first batch or marker.</summary>
    public short Epoch { get; internal set; } = -1;

    public int CoordinatorEpoch { get; internal set; } = -1;

    /// <summary>Broker time of the producer's last append, for <c>producer.id.expiration.ms</c>.</summary>
    public long LastAppendTimeMs { get; internal set; }

    /// <summary>First offset of the producer's open transaction on this partition, or -1.</summary>
    public long CurrentTransactionFirstOffset { get; internal set; } = -1;

    public IReadOnlyList<ProducerBatchMetadata> Batches => _batches;

    /// <summary>The last sequence written, or -1.</summary>
    public int LastSequence => _batches.Count > 0 ? _batches[^1].LastSequence : -1;

    /// <summary>The offset of the last batch written, or -1.</summary>
    public long LastOffset => _batches.Count > 0 ? _batches[^1].LastOffset : -1;

    public ProducerStateEntry Clone()
    {
        var copy = new ProducerStateEntry(ProducerId)
        {
            Epoch = Epoch,
            CoordinatorEpoch = CoordinatorEpoch,
            LastAppendTimeMs = LastAppendTimeMs,
            CurrentTransactionFirstOffset = CurrentTransactionFirstOffset,
        };
        copy._batches.AddRange(_batches);
        return copy;
    }

    /// <summary>The cached batch with exactly this epoch and sequence range: a retry of a batch already written.</summary>
    public ProducerBatchMetadata? FindDuplicate(short epoch, int firstSequence, int lastSequence)
    {
        if (epoch != Epoch)
        {
            return null;
        }

        foreach (var batch in _batches)
        {
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
            _batches.Clear();
        }
    }

    internal void AddBatch(short epoch, ProducerBatchMetadata batch)
    {
        UpdateEpoch(epoch);
        _batches.Add(batch);
        if (_batches.Count > MaxCachedBatches)
        {
            _batches.RemoveAt(0);
        }
    }

    internal void RestoreBatch(ProducerBatchMetadata batch) => _batches.Add(batch);
}
