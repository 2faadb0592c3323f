namespace Tributary.Grains.Connect.Api.Connector;

/// <summary>What the runtime offers a connector (Kafka's <c>ConnectorContext</c>).</summary>
public interface IConnectorContext
{
    /// <summary>Asks the runtime to call <see cref="Connector.TaskConfigs"/> again and restart tasks whose configs changed.</summary>
    void RequestTaskReconfiguration();

    /// <summary>Fails the connector with this error: its status becomes FAILED with the trace.</summary>
    void RaiseError(Exception error);
}
