using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Grains.Connect.Api.Sink;

/// <summary>What the runtime offers a sink task (Kafka's <c>SinkTaskContext</c>).</summary>
public interface ISinkTaskContext
{
    /// <summary>Where the plug-in writes its log lines (Kafka's plug-ins use SLF4J); the runtime names it after the plug-in's class.</summary>
    ILogger Logger => NullLogger.Instance;

    IReadOnlyDictionary<string, string> Configs { get; }

    /// <summary>The partitions this task consumes now.</summary>
    IReadOnlyCollection<TopicPartition> Assignment { get; }

    /// <summary>Asks the consumer to read these partitions from these offsets next (a sink that keeps its own offsets).</summary>
    void Offset(IReadOnlyDictionary<TopicPartition, long> offsets);

    void Offset(TopicPartition partition, long offset);

    /// <summary>After a <see cref="RetriableException"/>, how long to wait before giving the same records again.</summary>
    void Timeout(long timeoutMs);

    void Pause(params TopicPartition[] partitions);

    void Resume(params TopicPartition[] partitions);

    /// <summary>Asks for offsets to be committed soon, instead of at the next <c>offset.flush.interval.ms</c>.</summary>
    void RequestCommit();

    /// <summary>Reports a record the task could not write, to the dead-letter queue and error log (KIP-610); null when not configured.</summary>
    IErrantRecordReporter? ErrantRecordReporter { get; }
}

/// <summary>Reports a record a sink task could not handle (Kafka's <c>ErrantRecordReporter</c>).</summary>
public interface IErrantRecordReporter
{
    Task ReportAsync(SinkRecord record, Exception error);
}
