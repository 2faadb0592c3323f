using System.Data.Common;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// The definitions of the tables the task writes to, read once and kept (kafka-connect-jdbc's
/// <c>TableDefinitions</c>): describing a table costs catalog queries, and the sink needs it only when a record
/// schema changes. The cache is refreshed after the sink's own DDL and cleared when a write fails, since the table may
/// have been changed by someone else. A table whose type is not in <c>table.types</c> counts as missing. Catalog
/// queries run outside the write transaction (SQLite's provider refuses commands without it while one is open).
/// </summary>
public sealed class TableDefinitions(DatabaseDialect dialect, IReadOnlyCollection<string> tableTypes)
{
    private readonly Dictionary<TableId, TableDefinition?> _definitions = [];

    /// <summary>The cached definition, else the database's; null when the table does not exist.</summary>
    public async Task<TableDefinition?> GetAsync(DbConnection connection, TableId table, CancellationToken cancellationToken) =>
        _definitions.TryGetValue(table, out var known) && known is not null
            ? known
            : await RefreshAsync(connection, table, cancellationToken).ConfigureAwait(false);

    public async Task<TableDefinition?> RefreshAsync(DbConnection connection, TableId table, CancellationToken cancellationToken)
    {
        var columns = await dialect.DescribeTableAsync(connection, table, cancellationToken).ConfigureAwait(false);
        TableDefinition? definition = null;
        if (columns.Count > 0)
        {
            var listed = await dialect.ListTablesAsync(connection, tableTypes, table.Schema, cancellationToken).ConfigureAwait(false);
            if (listed.Any(t => Same(t, table)))
            {
                var isView = tableTypes.Contains("VIEW") &&
                             (await dialect.ListTablesAsync(connection, ["VIEW"], table.Schema, cancellationToken).ConfigureAwait(false)).Any(t => Same(t, table));
                definition = new TableDefinition(table, columns, isView);
            }
        }

        _definitions[table] = definition;
        return definition;
    }

    /// <summary>The definition read last, without asking the database; null when none was read or the table was missing.</summary>
    public TableDefinition? Cached(TableId table) => _definitions.GetValueOrDefault(table);

    public void Clear() => _definitions.Clear();

    private static bool Same(TableId listed, TableId wanted) =>
        listed.Table == wanted.Table && (wanted.Schema is null || listed.Schema == wanted.Schema);
}
