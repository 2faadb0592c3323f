namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// The platform with Orleans' default response timeout cut from 30 s to 5 s, so that a test shows in seconds whether a
/// call that rightly waits longer (a long poll, a rebalance) still depends on it.
/// </summary>
public sealed class ShortCallTimeoutBroker : BrokerFixture
{
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(5);

    protected override IReadOnlyList<string> Settings => ["--Orleans:Messaging:ResponseTimeout", "00:00:05"];
}
