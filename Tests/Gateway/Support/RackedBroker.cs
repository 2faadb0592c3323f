namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// The platform started with a rack (<c>--rack</c>, Kafka's <c>broker.rack</c>) in its static configuration.
/// </summary>
public sealed class RackedBroker : BrokerFixture
{
    public const string Rack = "eu-west-1a";

    protected override IReadOnlyList<string> Settings => ["--rack", Rack];
}
