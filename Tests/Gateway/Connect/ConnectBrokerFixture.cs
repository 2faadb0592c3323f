using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// The embedded platform with Connect committing offsets (and so flushing sinks) every half second instead of every
/// minute, as Kafka's quickstart shortens <c>offset.flush.interval.ms</c> to see a sink's file fill while one watches.
/// </summary>
public class ConnectBrokerFixture : BrokerFixture
{
    protected override IReadOnlyList<string> Settings => ["--Tributary:Connect:OffsetFlushIntervalMs", "500"];
}
