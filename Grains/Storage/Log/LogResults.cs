using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Storage.Log;

/// <summary>The outcome of an append: the offsets assigned, or the error the producer gets.</summary>
public readonly record struct LogAppendResult(
    ErrorCode Error,
    string? ErrorMessage,
    long BaseOffset,
    long LastOffset,
    long LogAppendTime,
    long LogStartOffset,
    long RecordCount)
{
    public static LogAppendResult Failed(ErrorCode error, string? message, long logStartOffset) =>
        new(error, message, -1, -1, -1, logStartOffset, 0);

    /// <summary>
    /// Nothing was written: a transactional batch would open a transaction of <see cref="Opener"/> here, which its
    /// coordinator must confirm first (KIP-890); append again with the transaction verified.
    /// </summary>
    public static LogAppendResult VerificationRequired((long ProducerId, short Epoch) opener, long logStartOffset) =>
        Failed(ErrorCode.InvalidTxnState, "The transaction's coordinator has not confirmed this partition.", logStartOffset) with { Opener = opener };

    /// <summary>Set when the append waits for its transaction to be verified (see <see cref="VerificationRequired"/>).</summary>
    public (long ProducerId, short Epoch)? Opener { get; init; }

    /// <summary>The records that made the append invalid, when validation names them (Produce's <c>RecordErrors</c>).</summary>
    public IReadOnlyList<RecordError>? RecordErrors { get; init; }
}

/// <summary>The outcome of a read: whole batches, and the log's offsets at the time of the read.</summary>
public readonly record struct LogReadResult(
    ErrorCode Error,
    ReadOnlyMemory<byte> Records,
    long HighWatermark,
    long LogStartOffset,
    long LogEndOffset);

/// <summary>A record found by timestamp.</summary>
public readonly record struct TimestampAndOffset(long Timestamp, long Offset);
