using Tributary.Gateway.Protocol;

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
