using System.Data.Common;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Jdbc.Connection;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Writes one Put's records (kafka-connect-jdbc's <c>JdbcDbWriter</c>) in two steps. <see cref="BindAsync"/> routes
/// each record to its table (<c>table.name.format</c>), validates it and binds it into that table's
/// <see cref="BufferedRecords"/>; a record that cannot be written (validation, mapping, DDL refused) goes to
/// <paramref name="onUnwritable"/>. <see cref="ExecuteAsync"/> then runs every table's flushes in ONE transaction and
/// commits (or, for a Put of one statement, runs that statement on its own), so a Put is written whole or not at all
/// and a redelivery after a failure never finds half of it already there; database errors roll everything back and
/// propagate. Binding needs the connection only for a table it does
/// not know yet, and asks for it through a callback that first lets an earlier write finish, so that one Put can be
/// bound while the connection writes the one before. Holds one connection, opened on first use and dropped after a failure.
/// </summary>
public sealed class JdbcDbWriter(
    JdbcSinkConfig config, DatabaseConnector connector, ILogger logger, Func<SinkRecord, Exception, CancellationToken, Task> onUnwritable)
    : IAsyncDisposable
{
    private static readonly Func<CancellationToken, Task> NothingToWaitFor = _ => Task.CompletedTask;

    private readonly DatabaseDialect _dialect = config.Connection.Dialect;
    private readonly RecordValidator _validator = new(config);
    private readonly StatementExecutor _executor = new(config.Connection.Dialect);
    private readonly DbStructure _structure = new(config, config.Connection.Dialect, logger);
    private readonly Dictionary<string, TableId> _tablesByTopic = new(StringComparer.Ordinal);
    private DbConnection? _connection;

    /// <summary>Opens the connection now, so that an unreachable database fails the task at start.</summary>
    public async Task<DbConnection> ConnectAsync(CancellationToken cancellationToken) =>
        _connection ??= await connector.OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Binds and executes the records at once: nothing may be writing.</summary>
    public async Task WriteAsync(IReadOnlyCollection<SinkRecord> records, CancellationToken cancellationToken) =>
        await ExecuteAsync(await BindAsync(records, NothingToWaitFor, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Binds the records into their tables' flushes. <paramref name="connectionFree"/> is awaited before the binding
    /// first uses the connection (to read or change a table), which an earlier write may still be using.
    /// </summary>
    public async Task<BoundWrite> BindAsync(
        IReadOnlyCollection<SinkRecord> records, Func<CancellationToken, Task> connectionFree, CancellationToken cancellationToken)
    {
        var waited = false;
        Exception? waitFailed = null;
        async Task<DbConnection> Connection(CancellationToken token)
        {
            if (!waited)
            {
                try
                {
                    await connectionFree(token).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // The earlier write's failure is not this record's: it ends the binding as it is.
                    waitFailed = e;
                    throw;
                }

                waited = true;
            }

            return await ConnectAsync(token).ConfigureAwait(false);
        }

        var buffers = new Dictionary<TableId, BufferedRecords>();
        foreach (var record in records)
        {
            try
            {
                _validator.Validate(record);
                var table = DestinationTable(record.Topic);
                if (!buffers.TryGetValue(table, out var buffer))
                {
                    buffer = new BufferedRecords(config, table, _dialect, _structure, Connection, logger);
                    buffers.Add(table, buffer);
                }

                await buffer.AddAsync(record, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e != waitFailed && IsUnwritable(e))
            {
                await onUnwritable(record, e, cancellationToken).ConfigureAwait(false);
            }
        }

        return new BoundWrite(records.Count, buffers.Values);
    }

    /// <summary>
    /// Runs the bound write's flushes in one transaction and commits it; the connection must be free. A write that is
    /// one flush the dialect takes as one statement goes alone instead, atomic without a transaction of its own.
    /// </summary>
    public async Task ExecuteAsync(BoundWrite write, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (write.Tables.Count == 1 && write.Tables.First().OnlyFlush is { } rows)
        {
            try
            {
                if (await _executor.TryExecuteAloneAsync(connection, rows, cancellationToken).ConfigureAwait(false))
                {
                    logger.LogDebug("Completed write operation for {Count} records to the database", write.Count);
                    return;
                }
            }
            catch (Exception e)
            {
                logger.LogError("Error during write operation of {Count} records: {Error}. Nothing of it was written.", write.Count, SensitiveText.Describe(e, config));
                throw;
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var buffer in write.Tables)
            {
                await buffer.FlushAsync(_executor, connection, transaction, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogError("Error during write operation of {Count} records: {Error}. Attempting rollback.", write.Count, SensitiveText.Describe(e, config));
            await RollbackAsync(transaction).ConfigureAwait(false);
            throw;
        }

        logger.LogDebug("Completed write operation for {Count} records to the database", write.Count);
    }

    /// <summary>Drops the connection and what was learnt through it, after a failure: the next write starts afresh.</summary>
    public async Task ResetAsync()
    {
        _structure.Forget();
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await ResetAsync().ConfigureAwait(false);

    /// <summary><c>table.name.format</c> with <c>${topic}</c> replaced; <c>schema.table</c> names a table in that schema.</summary>
    public TableId DestinationTable(string topic)
    {
        if (!_tablesByTopic.TryGetValue(topic, out var table))
        {
            table = ParseDestination(topic);
            _tablesByTopic[topic] = table;
        }

        return table;
    }

    private TableId ParseDestination(string topic)
    {
        var name = config.TableNameFormat.Replace("${topic}", topic, StringComparison.Ordinal);
        if (name.Length == 0)
        {
            throw new ConnectException($"Destination table name for topic '{topic}' is empty using the format string '{config.TableNameFormat}'");
        }

        return TableId.Parse(name);
    }

    /// <summary>Errors that concern the record, not the database: database errors are retried instead.</summary>
    public static bool IsUnwritable(Exception e) =>
        e is not DbException && e is ConnectException or DataException or InvalidCastException or FormatException or OverflowException or ArgumentException;

    private async Task RollbackAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Successfully rolled back transaction");
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            logger.LogError("Failed to rollback transaction: {Error}", SensitiveText.Describe(e, config));
        }
    }
}
