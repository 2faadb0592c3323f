using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// A connector object's view of the runtime (Kafka's <c>ConnectorContext</c>): a reconfiguration request goes to its
/// connector grain as a call of its own (the connector may ask from any thread); an error fails the connector.
/// </summary>
internal sealed class ConnectorContext(IGrainFactory grains, string name, Action<Exception> fail, ILogger logger) : IConnectorContext
{
    public ILogger Logger => logger;

    public void RequestTaskReconfiguration() => _ = grains.GetGrain<IConnectorGrain>(name).ReconfigureTasksAsync();

    public void RaiseError(Exception error) => fail(error);
}
