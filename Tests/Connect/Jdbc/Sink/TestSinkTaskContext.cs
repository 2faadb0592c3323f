using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Tests.Connect.Jdbc.Sink;

/// <summary>A sink task context that assigns nothing, remembers the last timeout asked for and offers a reporter when given one.</summary>
internal sealed class TestSinkTaskContext(IReadOnlyDictionary<string, string> configs, IErrantRecordReporter? reporter = null) : ISinkTaskContext
{
    public IReadOnlyDictionary<string, string> Configs { get; } = configs;

    public ILogger Logger => NullLogger.Instance;

    public IReadOnlyCollection<TopicPartition> Assignment => [];

    public IErrantRecordReporter? ErrantRecordReporter { get; } = reporter;

    public long? LastTimeoutMs { get; private set; }

    public void Offset(IReadOnlyDictionary<TopicPartition, long> offsets)
    {
    }

    public void Offset(TopicPartition partition, long offset)
    {
    }

    public void Timeout(long timeoutMs) => LastTimeoutMs = timeoutMs;

    public void Pause(params TopicPartition[] partitions)
    {
    }

    public void Resume(params TopicPartition[] partitions)
    {
    }

    public void RequestCommit()
    {
    }
}

/// <summary>Keeps what the task reported, in order.</summary>
internal sealed class RecordingReporter : IErrantRecordReporter
{
    public List<(SinkRecord Record, Exception Error)> Reported { get; } = [];

    public Task ReportAsync(SinkRecord record, Exception error)
    {
        Reported.Add((record, error));
        return Task.CompletedTask;
    }
}
