using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
namespace Tributary.Grains.Connect.Api.Connector;

/// <summary>What the runtime offers a connector (Kafka's <c>ConnectorContext</c>).</summary>
public interface IConnectorContext
{
    /// <summary>Where the plug-in writes its log lines (Kafka's plug-ins use SLF4J); the runtime names it after the plug-in's class.</summary>
    ILogger Logger => NullLogger.Instance;

    /// <summary>Asks the runtime to call <see cref="Connector.TaskConfigs"/> again and restart tasks whose configs changed.</summary>
    void RequestTaskReconfiguration();

    /// <summary>Fails the connector with this error: its status becomes FAILED with the trace.</summary>
    void RaiseError(Exception error);
}
