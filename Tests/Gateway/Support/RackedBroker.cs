namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// The platform started with a rack (<c>--rack</c>, Kafka's <c>broker.rack</c>) and a default replication factor of 2
/// in its static configuration, which one broker cannot satisfy.
/// </summary>
public sealed class RackedBroker : BrokerFixture
{
    public const string Rack = "eu-west-1a";

    protected override IReadOnlyList<string> Settings => ["--rack", Rack, "--Tributary:DefaultReplicationFactor", "2"];
}
