namespace Tributary.Grains.Connect.Api.Source;

/// <summary>A connector whose tasks read from outside into topics (Kafka's <c>SourceConnector</c>).</summary>
public abstract class SourceConnector : Connector.Connector
{
    /// <summary>Whether this configuration can be delivered exactly once (KIP-618); null when the connector cannot tell.</summary>
    public virtual ExactlyOnceSupport? ExactlyOnceSupport(IReadOnlyDictionary<string, string> connectorConfig) => null;

    public virtual ConnectorTransactionBoundaries CanDefineTransactionBoundaries(IReadOnlyDictionary<string, string> connectorConfig) =>
        ConnectorTransactionBoundaries.Unsupported;

    /// <summary>
    /// Called before offsets are changed through the REST API (KIP-875): the connector may refuse with an exception, or
    /// return true when it checked them, false when it cannot tell.
    /// </summary>
    public virtual bool AlterOffsets(
        IReadOnlyDictionary<string, string> connectorConfig,
        IReadOnlyList<(IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?>? Offset)> offsets) => false;
}
