using Tributary.Grains.Connect.Api.Source;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>When an exactly-once source task ends its transactions (<c>transaction.boundary</c>, KIP-618).</summary>
public enum TransactionBoundary
{
    /// <summary>After each poll's records are written (Kafka's default).</summary>
    Poll,

    /// <summary>Every <c>transaction.boundary.interval.ms</c> (default <c>offset.flush.interval.ms</c>).</summary>
    Interval,

    /// <summary>When the connector asks, through its <see cref="ITransactionContext"/>.</summary>
    Connector,
}

/// <summary>
/// How an exactly-once source task writes (worker <c>exactly.once.source.support=enabled</c>): through a transactional
/// writer, its offsets as records of <see cref="OffsetsTopic"/> in the same transactions, ended at the boundary.
/// </summary>
public sealed record ExactlyOnceSource(
    ITransactionalRecordWriter Writer, TransactionBoundary Boundary, TimeSpan? Interval, string Connector, string OffsetsTopic)
{
    public static TransactionBoundary ParseBoundary(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "poll" => TransactionBoundary.Poll,
        "interval" => TransactionBoundary.Interval,
        "connector" => TransactionBoundary.Connector,
        _ => throw new Api.Config.ConfigException(Config.ConnectorConfig.TransactionBoundary, text, "String must be one of (case insensitive): POLL, INTERVAL, CONNECTOR"),
    };
}

/// <summary>What a connector asked of its transaction, taken by the runner after the poll in which it asked.</summary>
internal enum TransactionRequest
{
    None,
    Commit,
    Abort,
}

/// <summary>
/// The <see cref="ITransactionContext"/> of a connector that defines its own transaction boundaries. A request made for a
/// record takes effect after the poll that returned it (the whole poll's records are in the transaction), not in the
/// middle of a poll as Kafka's does; an abort wins over a commit asked in the same poll.
/// </summary>
internal sealed class TransactionRequests : ITransactionContext
{
    private readonly object _gate = new();
    private TransactionRequest _request;

    public void CommitTransaction() => Ask(TransactionRequest.Commit);

    public void CommitTransaction(SourceRecord record) => Ask(TransactionRequest.Commit);

    public void AbortTransaction() => Ask(TransactionRequest.Abort);

    public void AbortTransaction(SourceRecord record) => Ask(TransactionRequest.Abort);

    public TransactionRequest Take()
    {
        lock (_gate)
        {
            var request = _request;
            _request = TransactionRequest.None;
            return request;
        }
    }

    private void Ask(TransactionRequest request)
    {
        lock (_gate)
        {
            if (_request != TransactionRequest.Abort)
            {
                _request = request;
            }
        }
    }
}
