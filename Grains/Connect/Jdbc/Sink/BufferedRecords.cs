using System.Data.Common;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Jdbc.Dialects;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// The records of one Put bound for one table (kafka-connect-jdbc's <c>BufferedRecords</c>), cut into flushes: a new
/// flush starts when the key or value schema changes (a tombstone's missing value schema is no change) and when a
/// flush holds <c>batch.size</c> records. A schema change also makes the table fit the new schema (DDL) and builds
/// the statements for it. Records are bound as they are added; the flushes run later, in order, in the write's
/// transaction. Within a flush rows keep their order, so a delete and a re-insert of one key come out right. Binding
/// asks for the connection only when the table's definition is not known to fit the records (a catalog query or
/// DDL), so that records can be bound while the connection still writes an earlier put.
/// </summary>
public sealed class BufferedRecords(
    JdbcSinkConfig config, TableId table, DatabaseDialect dialect, DbStructure structure,
    Func<CancellationToken, Task<DbConnection>> connection, ILogger logger)
{
    private readonly List<List<PendingRow>> _flushes = [[]];
    private ConnectSchema? _keySchema;
    private ConnectSchema? _valueSchema;
    private bool _keySchemaKnown;
    private RecordBinder? _writes;
    private RecordBinder? _deletes;
    private bool _deletesSkipped;

    public int Count => _flushes.Sum(f => f.Count);

    /// <summary>The rows of the only flush, when there is one; else null.</summary>
    public IReadOnlyList<PendingRow>? OnlyFlush => _flushes.Count(f => f.Count > 0) == 1 ? _flushes.First(f => f.Count > 0) : null;

    /// <summary>Binds the record into the current flush; throws when it cannot be written, leaving the buffer as it was.</summary>
    public async Task AddAsync(SinkRecord record, CancellationToken cancellationToken)
    {
        if (!_keySchemaKnown || !Equals(_keySchema, record.KeySchema))
        {
            StartFlush();
            _keySchema = record.KeySchema;
            _keySchemaKnown = true;
            _writes = null;
            _deletes = null;
            _deletesSkipped = false;
        }

        PendingRow row;
        if (record.Value is null && config.DeleteEnabled)
        {
            if (_deletes is null && !_deletesSkipped)
            {
                _deletes = await DeletesAsync(cancellationToken).ConfigureAwait(false);
                _deletesSkipped = _deletes is null;
            }

            if (_deletes is null)
            {
                logger.LogDebug("Table {Table} does not exist: nothing to delete for the record at offset {Offset}", table, record.KafkaOffset);
                return;
            }

            row = _deletes.Bind(record);
        }
        else
        {
            if (_writes is null || !Equals(_valueSchema, record.ValueSchema))
            {
                StartFlush();
                _writes = null;
                _valueSchema = record.ValueSchema;
                _writes = await WritesAsync(record.ValueSchema, cancellationToken).ConfigureAwait(false);
                _deletesSkipped = false; // the table may just have been created
            }

            row = _writes.Bind(record);
        }

        var current = _flushes[^1];
        current.Add(row);
        if (current.Count >= config.BatchSize)
        {
            StartFlush();
        }
    }

    /// <summary>Runs every flush in order; each is one batch of statements in <paramref name="transaction"/>.</summary>
    public async Task FlushAsync(StatementExecutor executor, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var flush in _flushes.Where(f => f.Count > 0))
        {
            logger.LogDebug("Flushing {Count} buffered records to {Table}", flush.Count, table);
            await executor.ExecuteAsync(connection, transaction, flush, cancellationToken).ConfigureAwait(false);
        }
    }

    private void StartFlush()
    {
        if (_flushes[^1].Count > 0)
        {
            _flushes.Add([]);
        }
    }

    private async Task<RecordBinder> WritesAsync(ConnectSchema? valueSchema, CancellationToken cancellationToken)
    {
        var fields = FieldsMetadata.Extract(table.Table, config.PrimaryKeyMode, config.PkFields, config.FieldsWhitelist, _keySchema, valueSchema);
        var definition = structure.KnownToFit(table, fields) ??
                         await structure.CreateOrAmendIfNecessaryAsync(await connection(cancellationToken).ConfigureAwait(false), table, fields, cancellationToken).ConfigureAwait(false);
        var binder = RecordBinder.ForWrites(config, dialect, table, fields, definition, _keySchema);
        logger.LogDebug("{Mode} sql: {Sql} for table {Table}", config.InsertMode, binder.Statement.Sql, table);
        return binder;
    }

    // A delete needs only the key; against a table that does not exist there is nothing to delete.
    private async Task<RecordBinder?> DeletesAsync(CancellationToken cancellationToken)
    {
        var fields = FieldsMetadata.Extract(table.Table, config.PrimaryKeyMode, config.PkFields, config.FieldsWhitelist, _keySchema, valueSchema: null);
        var definition = structure.KnownToFit(table, fields: null) ??
                         await structure.TableDefinitionAsync(await connection(cancellationToken).ConfigureAwait(false), table, cancellationToken).ConfigureAwait(false);
        return definition is null ? null : RecordBinder.ForDeletes(config, dialect, table, fields, definition, _keySchema);
    }
}
