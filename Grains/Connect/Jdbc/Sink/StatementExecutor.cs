using System.Data.Common;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Runs one flush's rows, in their order, inside the write's transaction. Where the provider batches (Npgsql's
/// <see cref="DbBatch"/>) every row is one command of a single prepared batch, sent in one round trip; elsewhere
/// (SQLite, in-process) each statement shape is one prepared command whose parameters are set row after row. The
/// parameters' types are set once per statement (<see cref="DatabaseDialect.ConfigureParameter"/>) so that the
/// database keeps one prepared plan per statement shape. A flush of many rows of one write statement goes through
/// the dialect's <see cref="IBulkRowWriter"/> where it has one (PostgreSQL: one statement over arrays of the values).
/// </summary>
public sealed class StatementExecutor(DatabaseDialect dialect)
{
    // Per statement shape, its parameters as the dialect types them, copied for each row of a batch: typing them
    // afresh per row costs the dialect's type classification every time.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SinkStatement, DbParameter[]> _prototypes = [];

    public async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (dialect.BulkRowWriter is { } bulk && rows.Count >= bulk.MinimumRows && OneStatement(rows) is { } statement)
        {
            DbParameter[] parameters;
            using (var command = connection.CreateCommand())
            {
                parameters = PrototypesOf(statement, command.CreateParameter);
            }

            if (bulk.CanWrite(statement, parameters) &&
                await bulk.TryWriteAsync(connection, transaction, statement, parameters, rows, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        await (connection.CanCreateBatch
            ? ExecuteBatchAsync(connection, transaction, rows, cancellationToken)
            : ExecuteCommandsAsync(connection, transaction, rows, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the rows as one statement outside any transaction, which lands whole or not at all, where the dialect's
    /// bulk form takes them in one (a server then commits without a round trip of its own); false, having sent
    /// nothing, otherwise.
    /// </summary>
    public async Task<bool> TryExecuteAloneAsync(DbConnection connection, IReadOnlyList<PendingRow> rows, CancellationToken cancellationToken)
    {
        if (dialect.BulkRowWriter is not { } bulk || rows.Count < bulk.MinimumRows || OneStatement(rows) is not { } statement)
        {
            return false;
        }

        DbParameter[] parameters;
        using (var command = connection.CreateCommand())
        {
            parameters = PrototypesOf(statement, command.CreateParameter);
        }

        return bulk.CanWrite(statement, parameters) &&
               await bulk.TryWriteAsync(connection, transaction: null, statement, parameters, rows, cancellationToken).ConfigureAwait(false);
    }

    private static SinkStatement? OneStatement(IReadOnlyList<PendingRow> rows)
    {
        var statement = rows[0].Statement;
        for (var i = 1; i < rows.Count; i++)
        {
            if (!ReferenceEquals(rows[i].Statement, statement))
            {
                return null;
            }
        }

        return statement;
    }

    private async Task ExecuteBatchAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingRow> rows, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var row in rows)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = row.Statement.Sql;
            var prototypes = PrototypesOf(row.Statement, command.CreateParameter);
            for (var i = 0; i < prototypes.Length; i++)
            {
                var parameter = prototypes[i] is ICloneable cloneable ? (DbParameter)cloneable.Clone() : Configure(command.CreateParameter(), row.Statement, i);
                parameter.Value = row.Values[i];
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteCommandsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingRow> rows, CancellationToken cancellationToken)
    {
        var commands = new Dictionary<SinkStatement, DbCommand>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var row in rows)
            {
                if (!commands.TryGetValue(row.Statement, out var command))
                {
                    command = Prepare(connection, transaction, row.Statement);
                    commands.Add(row.Statement, command);
                }

                for (var i = 0; i < row.Values.Length; i++)
                {
                    command.Parameters[i].Value = row.Values[i];
                }

                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private DbParameter[] PrototypesOf(SinkStatement statement, Func<DbParameter> create)
    {
        if (!_prototypes.TryGetValue(statement, out var prototypes))
        {
            prototypes = [.. statement.Parameters.Select((_, i) => Configure(create(), statement, i))];
            _prototypes.AddOrUpdate(statement, prototypes);
        }

        return prototypes;
    }

    private DbParameter Configure(DbParameter parameter, SinkStatement statement, int index)
    {
        parameter.ParameterName = statement.Positional ? "" : ParameterNames.Get(index);
        dialect.ConfigureParameter(parameter, statement.Parameters[index].Schema, statement.Parameters[index].Target);
        return parameter;
    }

    private DbCommand Prepare(DbConnection connection, DbTransaction transaction, SinkStatement statement)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = statement.Sql;
        for (var i = 0; i < statement.Parameters.Count; i++)
        {
            command.Parameters.Add(Configure(command.CreateParameter(), statement, i));
        }

        command.Prepare();
        return command;
    }

    /// <summary>The names the dialects' SQL uses (<c>@p0</c>, <c>@p1</c>...), made once.</summary>
    private static class ParameterNames
    {
        private static readonly string[] Cached = [.. Enumerable.Range(0, 256).Select(i => "@p" + i)];

        public static string Get(int index) => index < Cached.Length ? Cached[index] : "@p" + index;
    }
}
