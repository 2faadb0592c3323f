using System.Data.Common;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// A dialect's way to write many rows of one write statement in one statement instead of one statement per row,
/// with the same outcome as running the statement row after row in order (for an upsert or update: the last row of
/// each key wins).
/// </summary>
public interface IBulkRowWriter
{
    /// <summary>Rows fewer than this go through the statement, row by row.</summary>
    int MinimumRows { get; }

    /// <summary>Whether the statement can go this way, given its parameters as the dialect types them.</summary>
    bool CanWrite(SinkStatement statement, IReadOnlyList<DbParameter> parameters);

    /// <summary>
    /// Writes the rows in the transaction; false, having sent nothing, when their values are not all of the types the
    /// bulk form carries, and the rows go statement by statement instead. Without a transaction the rows go as one
    /// statement, which lands whole or not at all, or not at all (false) when they would take more than one.
    /// </summary>
    Task<bool> TryWriteAsync(
        DbConnection connection, DbTransaction? transaction, SinkStatement statement, IReadOnlyList<DbParameter> parameters,
        IReadOnlyList<PendingRow> rows, CancellationToken cancellationToken);
}
