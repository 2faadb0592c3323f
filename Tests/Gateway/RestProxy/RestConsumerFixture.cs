using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>The platform with consumer instances that heartbeat often and expire after two idle seconds.</summary>
public sealed class RestConsumerFixture : BrokerFixture
{
    protected override IReadOnlyList<string> Settings =>
    [
        "--Tributary:RestProxy:ConsumerHeartbeatInterval", "00:00:00.200",
        "--Tributary:RestProxy:ConsumerSessionTimeout", "00:00:06",
        "--Tributary:RestProxy:ConsumerInstanceTimeout", "00:00:02",
    ];
}
