using System.Buffers;
using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Compression;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>What compacting one batch did.</summary>
internal enum BatchOutcome
{
    /// <summary>Every record stays and nothing in the header changes: the batch is copied as it is.</summary>
    Kept,

    /// <summary>Some records went (or a delete horizon was set): the batch was rebuilt with the rest.</summary>
    Rebuilt,

    /// <summary>Every record went, but the batch is its producer's last: its header stays, with no records.</summary>
    Emptied,

    /// <summary>The batch went whole.</summary>
    Removed,
}

/// <summary>
/// Compacts one record batch, after Kafka's MemoryRecords.filterTo with the cleaner's filter: a record stays when it
/// is its key's latest (per the <see cref="OffsetMap"/>) or lies past what the map covers (above
/// <c>lastMappedOffset</c>); a record without a key goes; a tombstone stays until
/// its batch's delete horizon; aborted transactional data goes; a marker stays while it governs data
/// (<see cref="CleanedTransactions"/>) and then until its delete horizon; an active producer's last batch keeps at
/// least its header, for idempotence.
/// <para>A rebuilt batch keeps its base offset and last offset delta (so producer sequences and the offsets of what
/// remains do not change), its producer id, epoch, base sequence, flags, partition leader epoch and codec
/// (recompressed with it). A batch that first holds a tombstone, or a marker that may go, is given a delete horizon
/// (Kafka's KIP-534): the flag <see cref="RecordBatch.DeleteHorizonFlag"/>, and the base timestamp set to
/// now + <c>delete.retention.ms</c>, record timestamps being rebased on it so that each record keeps its own.</para>
/// </summary>
internal sealed class BatchCompactor(
    OffsetMap map,
    long lastMappedOffset,
    CleanedTransactions transactions,
    IReadOnlyDictionary<long, ActiveProducer> activeProducers,
    long nowMs,
    long deleteRetentionMs)
{
    /// <summary>The earliest delete horizon among the batches kept so far, or null: when a new cleaning can remove something.</summary>
    public long? EarliestDeleteHorizon { get; private set; }

    /// <summary>Compacts <paramref name="batch"/> (whole, magic 2) into <paramref name="output"/>.</summary>
    public BatchOutcome Compact(ReadOnlySpan<byte> batch, IBufferWriter<byte> output)
    {
        var isControl = RecordBatch.IsControl(batch);
        var canDiscardBatch = isControl ? transactions.IsMarkerDiscardable(batch) : transactions.IsAbortedData(batch);
        var horizon = DeleteHorizon(batch);
        var discardRecords = isControl ? canDiscardBatch && horizon is { } h && h <= nowMs : canDiscardBatch;
        var retainEmpty = IsLastBatchOfActiveProducer(batch, isControl);
        if (discardRecords && !retainEmpty)
        {
            return BatchOutcome.Removed;
        }

        using var view = RecordsView.Open(batch);
        var retainedCount = 0;
        var total = 0;
        var containsTombstone = false;
        if (!discardRecords)
        {
            var reader = view.GetReader();
            while (reader.Next(out var record) == RecordReadStatus.Record)
            {
                total++;
                if (isControl || ShouldRetain(batch, record, horizon))
                {
                    retainedCount++;
                    containsTombstone |= !record.HasValue;
                }
            }
        }

        var needsHorizon = horizon is null && (containsTombstone || (isControl && canDiscardBatch));
        if (retainedCount > 0)
        {
            var keptHorizon = needsHorizon ? nowMs + deleteRetentionMs : horizon;
            if (keptHorizon is { } kept && (EarliestDeleteHorizon is null || kept < EarliestDeleteHorizon))
            {
                EarliestDeleteHorizon = kept;
            }

            if (retainedCount == total && !needsHorizon)
            {
                output.Write(batch[..RecordBatch.TotalSize(batch)]);
                return BatchOutcome.Kept;
            }

            Rebuild(batch, view.Records, isControl, horizon, needsHorizon ? keptHorizon : null, output);
            return BatchOutcome.Rebuilt;
        }

        if (retainEmpty)
        {
            WriteEmptyHeader(batch, output);
            return BatchOutcome.Emptied;
        }

        return BatchOutcome.Removed;
    }

    /// <summary>The delete horizon a batch carries (KIP-534), or null.</summary>
    public static long? DeleteHorizon(ReadOnlySpan<byte> batch) =>
        (RecordBatch.Attributes(batch) & RecordBatch.DeleteHorizonFlag) != 0 ? RecordBatch.BaseTimestamp(batch) : null;

    private bool ShouldRetain(ReadOnlySpan<byte> batch, in Record record, long? horizon)
    {
        var offset = RecordBatch.BaseOffset(batch) + record.OffsetDelta;
        if (offset > lastMappedOffset)
        {
            return true;
        }

        if (!record.HasKey)
        {
            return false;
        }

        var latestForKey = offset >= map.Get(record.Key);
        var retainDeletes = horizon is not { } h || nowMs < h;
        return latestForKey && (record.HasValue || retainDeletes);
    }

    private bool IsLastBatchOfActiveProducer(ReadOnlySpan<byte> batch, bool isControl)
    {
        var producerId = RecordBatch.ProducerId(batch);
        if (producerId < 0 || !activeProducers.TryGetValue(producerId, out var producer))
        {
            return false;
        }

        return producer.LastDataOffset >= 0
            ? RecordBatch.LastOffset(batch) == producer.LastDataOffset
            : isControl && RecordBatch.ProducerEpoch(batch) == producer.Epoch;
    }

    private void Rebuild(
        ReadOnlySpan<byte> batch, ReadOnlySpan<byte> records, bool isControl, long? oldHorizon, long? newHorizon, IBufferWriter<byte> output)
    {
        var logAppendTime = RecordBatch.TimestampType(batch) == TimestampType.LogAppendTime;
        var oldBase = RecordBatch.BaseTimestamp(batch);

        // First pass: the new base timestamp and the max timestamp of what stays.
        long? firstTimestamp = null;
        var maxTimestamp = RecordBatch.NoTimestamp;
        var reader = new RecordReader(records);
        while (reader.Next(out var record) == RecordReadStatus.Record)
        {
            if (isControl || ShouldRetain(batch, record, oldHorizon))
            {
                var timestamp = oldBase + record.TimestampDelta;
                firstTimestamp ??= timestamp;
                maxTimestamp = Math.Max(maxTimestamp, timestamp);
            }
        }

        var horizon = newHorizon ?? oldHorizon;
        var newBase = horizon ?? firstTimestamp!.Value;
        using var plain = new PooledBufferWriter(records.Length);
        var count = 0;
        reader = new RecordReader(records);
        while (reader.Next(out var record) == RecordReadStatus.Record)
        {
            if (isControl || ShouldRetain(batch, record, oldHorizon))
            {
                WriteRecord(plain, record, oldBase + record.TimestampDelta - newBase);
                count++;
            }
        }

        var codec = RecordBatch.Compression(batch);
        using var body = new PooledBufferWriter(plain.WrittenCount + 64);
        RecordCompression.Compress(codec, plain.WrittenSpan, body);

        var size = RecordBatch.HeaderSize + body.WrittenCount;
        var span = output.GetSpan(size)[..size];
        batch[..RecordBatch.HeaderSize].CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.BatchLengthOffset..], size - RecordBatch.LogOverhead);
        var attributes = RecordBatch.Attributes(batch);
        if (horizon is not null)
        {
            attributes |= RecordBatch.DeleteHorizonFlag;
        }

        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatch.AttributesOffset..], attributes);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.BaseTimestampOffset..], newBase);
        if (!logAppendTime)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.MaxTimestampOffset..], maxTimestamp);
        }

        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.RecordsCountOffset..], count);
        body.WrittenSpan.CopyTo(span[RecordBatch.HeaderSize..]);
        RecordBatch.WriteCrc(span);
        output.Advance(size);
    }

    /// <summary>Kafka's DefaultRecordBatch.writeEmptyHeader: the batch's header with no records and no codec.</summary>
    private static void WriteEmptyHeader(ReadOnlySpan<byte> batch, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(RecordBatch.HeaderSize)[..RecordBatch.HeaderSize];
        batch[..RecordBatch.HeaderSize].CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.BatchLengthOffset..], RecordBatch.HeaderSize - RecordBatch.LogOverhead);
        var attributes = (short)(RecordBatch.Attributes(batch) & ~(RecordBatch.CompressionCodecMask | RecordBatch.DeleteHorizonFlag));
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatch.AttributesOffset..], attributes);
        var maxTimestamp = RecordBatch.MaxTimestamp(batch);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.BaseTimestampOffset..], maxTimestamp);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.RecordsCountOffset..], 0);
        RecordBatch.WriteCrc(span);
        output.Advance(RecordBatch.HeaderSize);
    }

    /// <summary>Writes <paramref name="record"/> again, with a new timestamp delta, everything else as it was.</summary>
    private static void WriteRecord(PooledBufferWriter output, in Record record, long timestampDelta) =>
        RecordWriter.Write(
            output, record.Attributes, timestampDelta, record.OffsetDelta, record.Key, record.HasKey, record.Value, record.HasValue,
            record.HeaderCount, record.Headers);
}

/// <summary>
/// What the cleaner must know of a producer that is still active on the partition: the last offset of its data
/// (-1 when it has none, only markers) and its epoch.
/// </summary>
internal readonly record struct ActiveProducer(long LastDataOffset, short Epoch);
