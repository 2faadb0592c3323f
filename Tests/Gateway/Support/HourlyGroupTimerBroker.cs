namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// The platform with the group coordinator's timer all but stopped (it ticks once an hour), so that only what requests
/// themselves do about deadlines shows.
/// </summary>
public sealed class HourlyGroupTimerBroker : BrokerFixture
{
    protected override IReadOnlyList<string> Settings => ["--Tributary:Groups:TickInterval", "01:00:00"];
}
