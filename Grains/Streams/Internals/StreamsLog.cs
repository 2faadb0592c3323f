using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Streams.Internals;

internal static partial class StreamsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping record at offset {Offset} of {Topic}-{Partition}: it cannot be deserialized ({Reason})")]
    public static partial void SkippedUndeserializable(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping record at offset {Offset} of {Topic}-{Partition} due to invalid timestamp {Timestamp}")]
    public static partial void SkippedInvalidTimestamp(ILogger logger, string topic, int partition, long offset, long timestamp);
}
