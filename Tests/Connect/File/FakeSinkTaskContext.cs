using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Tests.Connect.File;

/// <summary>A sink task context that assigns nothing and ignores requests; the file sink never asks it for anything.</summary>
internal sealed class FakeSinkTaskContext(IReadOnlyDictionary<string, string> configs) : ISinkTaskContext
{
    public IReadOnlyDictionary<string, string> Configs { get; } = configs;

    public IReadOnlyCollection<TopicPartition> Assignment => [];

    public IErrantRecordReporter? ErrantRecordReporter => null;

    public void Offset(IReadOnlyDictionary<TopicPartition, long> offsets)
    {
    }

    public void Offset(TopicPartition partition, long offset)
    {
    }

    public void Timeout(long timeoutMs)
    {
    }

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
