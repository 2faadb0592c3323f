using System.Data.Common;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// A dialect's way to write many rows of one write statement in a few round trips instead of one statement per row,
/// with the same outcome as running the statement row after row in order (for an upsert or update: the last row of
/// each key wins).
/// </summary>
public interface IBulkRowWriter
{
    /// <summary>Rows fewer than this go through the statement: the bulk path costs round trips of its own.</summary>
    int MinimumRows { get; }

    /// <summary>Whether the statement can go this way, given its parameters as the dialect types them.</summary>
    bool CanWrite(SinkStatement statement, IReadOnlyList<DbParameter> parameters);

    Task WriteAsync(
        DbConnection connection, DbTransaction transaction, SinkStatement statement, IReadOnlyList<DbParameter> parameters,
        IReadOnlyList<PendingRow> rows, CancellationToken cancellationToken);
}
