using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Grains.Connect.Api.Sink;

/// <summary>A connector whose tasks write topics' records outside (Kafka's <c>SinkConnector</c>).</summary>
public abstract class SinkConnector : Connector.Connector
{
    /// <summary>
    /// Called before the <c>connect-&lt;name&gt;</c> group's offsets are changed through the REST API (KIP-875); the
    /// connector may refuse with an exception, or return true when it checked them.
    /// </summary>
    public virtual bool AlterOffsets(IReadOnlyDictionary<string, string> connectorConfig, IReadOnlyDictionary<TopicPartition, long?> offsets) => false;
}
