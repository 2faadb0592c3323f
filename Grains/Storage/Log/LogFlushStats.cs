using System.Diagnostics.Metrics;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Kafka's <c>kafka.log</c> <c>LogFlushStats</c> <c>LogFlushRateAndTimeMs</c>: each flush round of a log that syncs
/// (its fsyncs: in durable mode one round covers many appends) as a histogram of its time in milliseconds, whose count
/// is the flush rate. <see cref="None"/> records nothing.
/// </summary>
public sealed class LogFlushStats
{
    public const string MeterName = "kafka.log";

    public static readonly LogFlushStats None = new(null);

    private readonly Histogram<double>? _flushTime;

    public LogFlushStats(IMeterFactory? meters)
    {
        _flushTime = meters?.Create(MeterName).CreateHistogram<double>(
            "kafka.log.logflushstats.logflushrateandtimems", description: "Time of a log's flush round, in ms; its count is the flush rate (LogFlushRateAndTimeMs).");
    }

    internal void Flushed(TimeSpan took) => _flushTime?.Record(took.TotalMilliseconds);
}
