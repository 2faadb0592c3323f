namespace Tributary.Tests.Grains.Support;

/// <summary>One two-broker cluster shared by the tests of a class.</summary>
public sealed class TwoBrokerClusterFixture : IAsyncLifetime
{
    public BrokerCluster Brokers { get; private set; } = null!;

    public async Task InitializeAsync() => Brokers = await BrokerCluster.StartAsync(2);

    public async Task DisposeAsync() => await Brokers.DisposeAsync();
}
