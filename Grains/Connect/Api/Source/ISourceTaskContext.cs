using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Grains.Connect.Api.Source;

/// <summary>What the runtime offers a source task (Kafka's <c>SourceTaskContext</c>).</summary>
public interface ISourceTaskContext
{
    /// <summary>Where the plug-in writes its log lines (Kafka's plug-ins use SLF4J); the runtime names it after the plug-in's class.</summary>
    ILogger Logger => NullLogger.Instance;

    IReadOnlyDictionary<string, string> Configs { get; }

    IOffsetStorageReader OffsetStorageReader { get; }

    /// <summary>The transaction boundaries a connector defines itself (<c>transaction.boundary=connector</c>); null otherwise.</summary>
    ITransactionContext? TransactionContext { get; }
}

/// <summary>Lets a source task end or abort the current transaction (Kafka's <c>TransactionContext</c>, KIP-618).</summary>
public interface ITransactionContext
{
    void CommitTransaction();

    void CommitTransaction(SourceRecord record);

    void AbortTransaction();

    void AbortTransaction(SourceRecord record);
}

/// <summary>Whether a source connector can give exactly-once delivery for a configuration (Kafka's <c>ExactlyOnceSupport</c>).</summary>
public enum ExactlyOnceSupport
{
    Supported,
    Unsupported,
}

/// <summary>Whether a source connector can define its own transaction boundaries (Kafka's <c>ConnectorTransactionBoundaries</c>).</summary>
public enum ConnectorTransactionBoundaries
{
    Supported,
    Unsupported,
}
