using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Storage.Log;

/// <summary>The log lines of <see cref="PartitionLog"/>.</summary>
internal static partial class PartitionLogMessages
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Opened log {Directory}: offsets [{LogStartOffset}, {LogEndOffset}), {SegmentsRecovered} segments recovered ({BytesRecovered} bytes validated past the checkpoint), {BytesTruncated} bytes truncated")]
    internal static partial void LogOpened(ILogger logger, string directory, long logStartOffset, long logEndOffset, int segmentsRecovered, long bytesTruncated, long bytesRecovered);

    [LoggerMessage(Level = LogLevel.Error, Message = "Append to log {Directory} failed")]
    internal static partial void LogAppendFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log {Directory}: deleted {Count} segments ({Reason}); log start offset is now {LogStartOffset}")]
    internal static partial void LogSegmentsDeleted(ILogger logger, string directory, int count, string reason, long logStartOffset);
}
