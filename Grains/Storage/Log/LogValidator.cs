using System.Buffers;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Storage.Log;

/// <summary>What validation of an append found, and the offsets it assigned.</summary>
public readonly record struct ValidatedAppend(
    ErrorCode Error,
    string? ErrorMessage,
    long FirstOffset,
    long LastOffset,
    long MaxTimestamp,
    long LogAppendTime,
    int BatchCount,
    long RecordCount)
{
    public bool IsValid => Error == ErrorCode.None;

    /// <summary>The records at fault, when validation names them (Produce v8's <c>RecordErrors</c>, KIP-467).</summary>
    public IReadOnlyList<RecordError>? RecordErrors { get; init; }

    public static ValidatedAppend Invalid(ErrorCode error, string message) => new(error, message, -1, -1, -1, -1, 0, 0);

    /// <summary>
    /// Kafka's RecordValidationException: the batch is refused for the records named, with the message Kafka's
    /// LogValidator composes from the first three of them.
    /// </summary>
    public static ValidatedAppend InvalidRecords(IReadOnlyList<RecordError> errors) =>
        Invalid(ErrorCode.InvalidRecord,
            $"One or more records have been rejected due to {errors.Count} record errors in total, and only showing the first three errors at most: [{string.Join(", ", errors.Take(3))}]")
        with { RecordErrors = errors };
}

/// <summary>One record that made its batch invalid: its index in the batch, and why (Kafka's ProduceResponse.RecordError).</summary>
public readonly record struct RecordError(int BatchIndex, string Message)
{
    /// <summary>Kafka's rendering, which its error message lists.</summary>
    public override string ToString() => $"RecordError(batchIndex={BatchIndex}, message='{Message}')";
}

/// <summary>
/// Checks the record batches of one append and assigns their offsets, after Kafka's LogValidator, without
/// re-encoding: offsets, leader epoch and (for LogAppendTime) the timestamp are rewritten in the header in place.
/// <para>Every batch is checked before any byte is changed, so an append is taken whole or not at all. Checks:
/// whole batches (CORRUPT_MESSAGE), magic 2, CRC-32C over attributes to end (CORRUPT_MESSAGE), size against
/// <c>max.message.bytes</c> (MESSAGE_TOO_LARGE) and the append against <c>segment.bytes</c> (RECORD_LIST_TOO_LARGE),
/// record count = last offset delta + 1 &gt; 0 and every record's framing and offset delta, inside compressed
/// batches too (INVALID_RECORD), no control batches from clients, a sequence for every producer id, CreateTime
/// within <c>message.timestamp.before/after.max.ms</c> (INVALID_TIMESTAMP), and on a compacted topic a key on every
/// record (INVALID_RECORD, naming each record without one).</para>
/// <para>Stateless and thread-safe.</para>
/// </summary>
public static class LogValidator
{
    /// <summary>
    /// Limit on a stored compressed batch's inflated records when the log reads it back (appends are bounded by the
    /// topic's <c>max.message.bytes</c> instead), so that a damaged batch cannot exhaust memory.
    /// </summary>
    public const int MaxUncompressedBatchBytes = 128 * 1024 * 1024;

    private const int StackBatches = 16;

    public static ValidatedAppend ValidateAndAssignOffsets(
        Span<byte> records,
        long nextOffset,
        int leaderEpoch,
        LogConfig config,
        long nowMs,
        AppendOrigin origin = AppendOrigin.Client,
        string topicPartition = "")
    {
        if (records.Length > config.SegmentBytes)
        {
            return ValidatedAppend.Invalid(ErrorCode.RecordListTooLarge,
                $"Append of {records.Length} bytes is larger than segment.bytes {config.SegmentBytes}.");
        }

        var batchCount = CountBatches(records, out var framingError);
        if (framingError is not null)
        {
            return ValidatedAppend.Invalid(ErrorCode.CorruptMessage, framingError);
        }

        long[]? rented = null;
        var maxTimestamps = batchCount <= StackBatches
            ? stackalloc long[StackBatches]
            : (rented = ArrayPool<long>.Shared.Rent(batchCount));
        try
        {
            var position = 0;
            for (var i = 0; i < batchCount; i++)
            {
                var batch = records[position..];
                var size = RecordBatch.TotalSize(batch);
                var invalid = ValidateBatch(batch[..size], config, nowMs, origin, topicPartition, out maxTimestamps[i]);
                if (invalid.HasValue)
                {
                    return invalid.Value;
                }

                position += size;
            }

            return AssignOffsets(records, batchCount, maxTimestamps, nextOffset, leaderEpoch, config, nowMs);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<long>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Checks batches a follower copied from its leader (Kafka's appendAsFollower): whole magic-2 batches with valid
    /// CRCs and consistent record counts, offsets increasing from <paramref name="nextOffset"/> on (the leader's
    /// compaction may leave gaps, never overlaps). Nothing is rewritten: the bytes go to disk as the leader wrote them.
    /// </summary>
    public static ValidatedAppend ValidateReplicated(ReadOnlySpan<byte> records, long nextOffset)
    {
        var batchCount = CountBatches(records, out var framingError);
        if (framingError is not null)
        {
            return ValidatedAppend.Invalid(ErrorCode.CorruptMessage, framingError);
        }

        var firstOffset = RecordBatch.BaseOffset(records);
        var maxTimestamp = RecordBatch.NoTimestamp;
        long recordCount = 0;
        for (var position = 0; position < records.Length;)
        {
            var batch = records[position..];
            var size = RecordBatch.TotalSize(batch);
            var lastOffsetDelta = RecordBatch.LastOffsetDelta(batch);
            if (RecordBatch.Magic(batch) != RecordBatch.CurrentMagic || !RecordBatch.IsCrcValid(batch[..size]))
            {
                return ValidatedAppend.Invalid(ErrorCode.CorruptMessage, $"The copied batch at offset {RecordBatch.BaseOffset(batch)} is not a valid magic-2 batch.");
            }

            if (RecordBatch.BaseOffset(batch) < nextOffset || lastOffsetDelta < 0 || RecordBatch.RecordsCount(batch) > lastOffsetDelta + 1L)
            {
                return ValidatedAppend.Invalid(ErrorCode.UnknownServerError,
                    $"The copied batch at offset {RecordBatch.BaseOffset(batch)} does not follow offset {nextOffset - 1} of this replica.");
            }

            nextOffset = RecordBatch.LastOffset(batch) + 1;
            maxTimestamp = Math.Max(maxTimestamp, RecordBatch.MaxTimestamp(batch));
            recordCount += RecordBatch.RecordsCount(batch);
            position += size;
        }

        return new ValidatedAppend(ErrorCode.None, null, firstOffset, nextOffset - 1, maxTimestamp, -1, batchCount, recordCount);
    }

    private static int CountBatches(ReadOnlySpan<byte> records, out string? error)
    {
        error = null;
        var count = 0;
        var position = 0;
        while (position < records.Length)
        {
            var remaining = records.Length - position;
            if (remaining < RecordBatch.HeaderSize)
            {
                error = $"Truncated record batch: {remaining} bytes left, a batch header takes {RecordBatch.HeaderSize}.";
                return 0;
            }

            var size = (long)RecordBatch.BatchLength(records[position..]) + RecordBatch.LogOverhead;
            if (size < RecordBatch.HeaderSize || size > remaining)
            {
                error = $"Record batch length {size} does not fit the {remaining} bytes left.";
                return 0;
            }

            position += (int)size;
            count++;
        }

        if (count == 0)
        {
            error = "The append holds no record batch.";
        }

        return count;
    }

    private static ValidatedAppend? ValidateBatch(
        ReadOnlySpan<byte> batch,
        LogConfig config,
        long nowMs,
        AppendOrigin origin,
        string topicPartition,
        out long maxTimestamp)
    {
        maxTimestamp = RecordBatch.NoTimestamp;
        var magic = RecordBatch.Magic(batch);
        if (magic != RecordBatch.CurrentMagic)
        {
            return magic < RecordBatch.CurrentMagic
                ? ValidatedAppend.Invalid(ErrorCode.UnsupportedForMessageFormat, $"Message format v{magic} is not supported; use magic 2.")
                : ValidatedAppend.Invalid(ErrorCode.CorruptMessage, $"Unknown record batch magic {magic}.");
        }

        if (!RecordBatch.IsCrcValid(batch))
        {
            return ValidatedAppend.Invalid(ErrorCode.CorruptMessage,
                $"Record batch CRC {RecordBatch.Crc(batch):x8} does not match its contents ({RecordBatch.ComputeCrc(batch):x8}).");
        }

        if (batch.Length > config.MaxMessageBytes)
        {
            return ValidatedAppend.Invalid(ErrorCode.MessageTooLarge,
                $"Record batch of {batch.Length} bytes is larger than max.message.bytes {config.MaxMessageBytes}.");
        }

        var count = RecordBatch.RecordsCount(batch);
        var lastOffsetDelta = RecordBatch.LastOffsetDelta(batch);
        if (count <= 0 || lastOffsetDelta < 0 || (long)lastOffsetDelta + 1 != count)
        {
            return ValidatedAppend.Invalid(ErrorCode.InvalidRecord,
                $"Record batch declares {count} records but a last offset delta of {lastOffsetDelta}.");
        }

        if (origin == AppendOrigin.Client)
        {
            if (RecordBatch.IsControl(batch))
            {
                return ValidatedAppend.Invalid(ErrorCode.InvalidRecord, "Clients may not write control batches.");
            }

            if (RecordBatch.ProducerId(batch) >= 0 && RecordBatch.BaseSequence(batch) < 0)
            {
                return ValidatedAppend.Invalid(ErrorCode.InvalidRecord, "A batch with a producer id needs a base sequence.");
            }

            if (RecordBatch.TimestampType(batch) == TimestampType.LogAppendTime)
            {
                return ValidatedAppend.Invalid(ErrorCode.InvalidTimestamp, "Producers may not set the LogAppendTime flag.");
            }
        }

        // A compacted log keeps the last record of each key: a record without one could never be compacted. Kafka checks
        // what is written here (clients' batches and the coordinators' markers, which have keys), not what recovery replays.
        var keysRequired = config.Compact && origin != AppendOrigin.Recovery;
        return ValidateRecords(batch, count, config, nowMs, keysRequired ? topicPartition : null, out maxTimestamp);
    }

    /// <summary>Checks each record; with <paramref name="keysRequiredIn"/> (the partition's name) every record needs a key.</summary>
    private static ValidatedAppend? ValidateRecords(
        ReadOnlySpan<byte> batch,
        int count,
        LogConfig config,
        long nowMs,
        string? keysRequiredIn,
        out long maxTimestamp)
    {
        List<RecordError>? keyless = null;
        maxTimestamp = RecordBatch.NoTimestamp;
        RecordsView view;
        try
        {
            // Inflated, a batch is bounded by max.message.bytes as it is compressed: decompression stops as soon as the
            // records pass it, so that a small hostile batch (a compression bomb) costs at most that much memory.
            // Kafka streams the records instead and has no such bound; a producer whose batches inflate past it
            // (librdkafka's batch.size bounds them uncompressed, to 1 MB by default) needs a larger max.message.bytes.
            view = RecordsView.Open(batch, config.MaxMessageBytes);
        }
        catch (InvalidDataException e) when (PooledBufferWriter.IsLimitExceeded(e))
        {
            return ValidatedAppend.Invalid(ErrorCode.MessageTooLarge,
                $"Record batch inflates to more than max.message.bytes {config.MaxMessageBytes} bytes.");
        }
        catch (InvalidDataException e)
        {
            return ValidatedAppend.Invalid(ErrorCode.InvalidRecord, $"Cannot read the compressed records: {e.Message}");
        }

        using (view)
        {
            var baseTimestamp = RecordBatch.BaseTimestamp(batch);
            var checkTimestamps = config.MessageTimestampType == TimestampType.CreateTime
                && (config.MessageTimestampBeforeMaxMs != long.MaxValue || config.MessageTimestampAfterMaxMs != long.MaxValue);
            var reader = view.GetReader();
            var seen = 0;
            while (true)
            {
                var status = reader.Next(out var record);
                if (status == RecordReadStatus.End)
                {
                    break;
                }

                if (status == RecordReadStatus.Malformed)
                {
                    return ValidatedAppend.Invalid(ErrorCode.InvalidRecord, $"Record {seen} of the batch is malformed.");
                }

                if (record.OffsetDelta != seen)
                {
                    return ValidatedAppend.Invalid(ErrorCode.InvalidRecord,
                        $"Record {seen} has offset delta {record.OffsetDelta}; expected {seen}.");
                }

                var timestamp = baseTimestamp + record.TimestampDelta;
                if (checkTimestamps && !IsWithin(timestamp, nowMs, config))
                {
                    return ValidatedAppend.Invalid(ErrorCode.InvalidTimestamp,
                        $"Timestamp {timestamp} of record {seen} is out of range for the topic's message.timestamp settings.");
                }

                if (keysRequiredIn is not null && !record.HasKey)
                {
                    (keyless ??= []).Add(new RecordError(seen, $"Compacted topic cannot accept message without key in topic partition {keysRequiredIn}."));
                }

                maxTimestamp = Math.Max(maxTimestamp, timestamp);
                seen++;
                if (seen > count)
                {
                    break;
                }
            }

            if (seen != count)
            {
                return ValidatedAppend.Invalid(ErrorCode.InvalidRecord,
                    $"Record batch declares {count} records but holds {seen}.");
            }
        }

        return keyless is null ? null : ValidatedAppend.InvalidRecords(keyless);
    }

    private static bool IsWithin(long timestamp, long nowMs, LogConfig config)
    {
        var earliest = config.MessageTimestampBeforeMaxMs >= nowMs ? long.MinValue : nowMs - config.MessageTimestampBeforeMaxMs;
        var latest = config.MessageTimestampAfterMaxMs > long.MaxValue - nowMs ? long.MaxValue : nowMs + config.MessageTimestampAfterMaxMs;
        return timestamp >= earliest && timestamp <= latest;
    }

    private static ValidatedAppend AssignOffsets(
        Span<byte> records,
        int batchCount,
        ReadOnlySpan<long> maxTimestamps,
        long nextOffset,
        int leaderEpoch,
        LogConfig config,
        long nowMs)
    {
        var logAppendTime = config.MessageTimestampType == TimestampType.LogAppendTime;
        var firstOffset = nextOffset;
        var maxTimestamp = RecordBatch.NoTimestamp;
        long recordCount = 0;
        var position = 0;
        for (var i = 0; i < batchCount; i++)
        {
            var batch = records[position..];
            var size = RecordBatch.TotalSize(batch);
            var count = RecordBatch.RecordsCount(batch);
            RecordBatch.SetBaseOffset(batch, nextOffset);
            RecordBatch.SetPartitionLeaderEpoch(batch, leaderEpoch);
            if (logAppendTime)
            {
                RecordBatch.SetLogAppendTime(batch[..size], nowMs);
                maxTimestamp = nowMs;
            }
            else
            {
                if (RecordBatch.MaxTimestamp(batch) != maxTimestamps[i])
                {
                    // The header must carry the records' true maximum: the time index and consumers rely on it.
                    RecordBatch.SetMaxTimestamp(batch[..size], maxTimestamps[i]);
                }

                maxTimestamp = Math.Max(maxTimestamp, maxTimestamps[i]);
            }

            nextOffset += count;
            recordCount += count;
            position += size;
        }

        return new ValidatedAppend(
            ErrorCode.None,
            null,
            firstOffset,
            nextOffset - 1,
            maxTimestamp,
            logAppendTime ? nowMs : RecordBatch.NoTimestamp,
            batchCount,
            recordCount);
    }
}
