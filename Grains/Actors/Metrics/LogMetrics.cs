using System.Diagnostics.Metrics;
using Tributary.Grains.Storage;

namespace Tributary.Grains.Actors.Metrics;

/// <summary>
/// Kafka's <c>kafka.log:type=Log</c> gauges per partition (tags <c>topic</c>, <c>partition</c>) for the logs this
/// broker has open, leaders' and followers' (a partition no one has asked for since it went idle has its log closed
/// and is not reported until it opens again): <c>Size</c>, <c>NumLogSegments</c>, <c>LogStartOffset</c> and
/// <c>LogEndOffset</c>, read when the metrics are collected. A Prometheus scrape shows them as the JMX exporter names
/// Kafka's (<c>kafka_log_log_size</c>, ...).
/// </summary>
public sealed class LogMetrics : ILifecycleParticipant<ISiloLifecycle>
{
    public const string MeterName = "kafka.log";

    public LogMetrics(LogManager logs, IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("kafka.log.log.size", () => Measure(logs, log => log.Size), description: "Bytes of the partition's segments (Size).");
        meter.CreateObservableGauge("kafka.log.log.numlogsegments", () => Measure(logs, log => log.SegmentBaseOffsets.Count), description: "Segments of the partition's log (NumLogSegments).");
        meter.CreateObservableGauge("kafka.log.log.logstartoffset", () => Measure(logs, log => log.LogStartOffset), description: "The partition's first offset (LogStartOffset).");
        meter.CreateObservableGauge("kafka.log.log.logendoffset", () => Measure(logs, log => log.LogEndOffset), description: "The offset the partition's next record gets (LogEndOffset).");
    }

    /// <summary>Nothing to do in the silo's life: taking part makes the silo create the gauges as it starts.</summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
    }

    private static IEnumerable<Measurement<long>> Measure(LogManager logs, Func<Storage.Log.PartitionLog, long> value)
    {
        foreach (var log in logs.OpenLogs)
        {
            if (!log.IsClosed && LogFileNames.TryParsePartitionDirectoryName(Path.GetFileName(log.Directory), out var topic, out var partition))
            {
                yield return new Measurement<long>(value(log), new("topic", topic), new("partition", partition));
            }
        }
    }
}
