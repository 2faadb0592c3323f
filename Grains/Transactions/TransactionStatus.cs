namespace Tributary.Grains.Transactions;

/// <summary>Kafka's transaction states, by the names DescribeTransactions and ListTransactions use.</summary>
public enum TransactionStatus
{
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
}

public static class TransactionStatusExtensions
{
    /// <summary>A transaction is open: its coordinator still has to end it (at the producer's word, a timeout or a restart).</summary>
    public static bool IsOpen(this TransactionStatus status) =>
        status is TransactionStatus.Ongoing or TransactionStatus.PrepareCommit or TransactionStatus.PrepareAbort;

    /// <summary>A commit or abort is decided (and stored) but its markers may not all be written yet.</summary>
    public static bool IsPrepared(this TransactionStatus status) =>
        status is TransactionStatus.PrepareCommit or TransactionStatus.PrepareAbort;
}
