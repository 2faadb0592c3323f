using System.Data.Common;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Makes a destination table fit the records' columns (kafka-connect-jdbc's <c>DbStructure</c>): creates a missing
/// table when <c>auto.create</c> allows it, and adds missing columns when <c>auto.evolve</c> allows it and each one
/// may be null or has a default (existing rows need a value). Columns the table has beyond the records' are left
/// alone, and column types that line up by name are not compared, as in Confluent's sink. DDL runs on its own,
/// outside the write transaction: a table made for records stays made even when their write is rolled back.
/// </summary>
public sealed class DbStructure(JdbcSinkConfig config, DatabaseDialect dialect, ILogger logger)
{
    private readonly TableDefinitions _tables = new(dialect, config.TableTypes);

    public Task<TableDefinition?> TableDefinitionAsync(DbConnection connection, TableId table, CancellationToken cancellationToken) =>
        _tables.GetAsync(connection, table, cancellationToken);

    /// <summary>
    /// The table's definition when it is already known and has every column of <paramref name="fields"/> (any table
    /// that exists, without fields), without asking the database; else null.
    /// </summary>
    public TableDefinition? KnownToFit(TableId table, FieldsMetadata? fields) =>
        _tables.Cached(table) is { } definition && (fields is null || fields.AllFields.All(f => definition.Column(f.Name) is not null))
            ? definition
            : null;

    /// <summary>Forgets every definition, after a failure that may have come from a table changed behind the sink's back.</summary>
    public void Forget() => _tables.Clear();

    /// <summary>The table's definition once it has every column of <paramref name="fields"/>; throws <see cref="TableAlterOrCreateException"/> when it may not.</summary>
    public async Task<TableDefinition> CreateOrAmendIfNecessaryAsync(
        DbConnection connection, TableId table, FieldsMetadata fields, CancellationToken cancellationToken)
    {
        var definition = await _tables.GetAsync(connection, table, cancellationToken).ConfigureAwait(false);
        if (definition is null)
        {
            if (!config.AutoCreate)
            {
                throw new TableAlterOrCreateException($"Table {table} is missing and auto-creation is disabled");
            }

            var sql = dialect.CreateTableSql(table, [.. fields.AllFields.Select(f => (f.Name, f.Schema))], fields.KeyFieldNames);
            logger.LogInformation("Creating table with sql: {Sql}", sql);
            try
            {
                await ExecuteAsync(connection, [sql], cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                // Another task may have created it first; then amend that table like any other. Otherwise the
                // database's error stands, and the write is retried like any failed write.
                logger.LogWarning(e, "Create failed, will attempt amend if table already exists");
                if (await _tables.RefreshAsync(connection, table, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw;
                }
            }

            definition = await _tables.RefreshAsync(connection, table, cancellationToken).ConfigureAwait(false)
                         ?? throw new TableAlterOrCreateException($"Table {table} is missing after it was created; check table.types");
        }

        return await AmendIfNecessaryAsync(connection, definition, fields, config.MaxRetries, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TableDefinition> AmendIfNecessaryAsync(
        DbConnection connection, TableDefinition definition, FieldsMetadata fields, int retries, CancellationToken cancellationToken)
    {
        var missing = fields.AllFields.Where(f => definition.Column(f.Name) is null).ToList();
        if (missing.Count == 0)
        {
            return definition;
        }

        var table = definition.Id;
        var described = "[" + string.Join(", ", missing) + "]";
        if (definition.IsView)
        {
            throw new TableAlterOrCreateException($"View {table} is missing fields ({described}) and ALTER VIEW is unsupported");
        }

        foreach (var field in missing.Where(f => !f.Schema.IsOptional && f.Schema.DefaultValue is null))
        {
            throw new TableAlterOrCreateException(
                $"Cannot ALTER TABLE {table} to add missing field {field}, as the field is not optional and does not have a default value");
        }

        if (!config.AutoEvolve)
        {
            throw new TableAlterOrCreateException($"Table {table} is missing fields ({described}) and auto-evolution is disabled");
        }

        var statements = dialect.AlterTableSql(table, [.. missing.Select(f => (f.Name, f.Schema))]);
        logger.LogInformation("Amending TABLE {Table} to add missing fields {Fields} with SQL: {Sql}", table, described, string.Join("; ", statements));
        try
        {
            await ExecuteAsync(connection, statements, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            if (retries <= 0)
            {
                throw new TableAlterOrCreateException($"Failed to amend TABLE '{table}' to add missing fields: {described}", e);
            }

            // Perhaps another task added the same columns first.
            logger.LogWarning(e, "Amend failed, re-attempting");
        }

        var refreshed = await _tables.RefreshAsync(connection, table, cancellationToken).ConfigureAwait(false)
                        ?? throw new TableAlterOrCreateException($"Table {table} disappeared while the sink was altering it");
        return await AmendIfNecessaryAsync(connection, refreshed, fields, retries - 1, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(DbConnection connection, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
