using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Tributary.Grains.Connect.Jdbc.Sink;

namespace Tributary.Grains.Connect.Jdbc.Dialects;

/// <summary>
/// PostgreSQL's fast path for a flush of one write statement: the rows go by binary <c>COPY</c> into a temporary
/// staging table of the parameters' own types, then one <c>INSERT ... SELECT</c> (with the upsert's
/// <c>ON CONFLICT</c>) or <c>UPDATE ... FROM</c> moves them into the table, in the write's transaction. The server
/// converts staged values to the columns' types as it converts typed parameters, so the outcome is the statement's;
/// for an upsert or update only the last row of each key is staged, as one statement per row would leave it (and as
/// <c>ON CONFLICT DO UPDATE</c> requires). The staging table lives as long as the connection and is created once on
/// it; it empties at each commit (<c>ON COMMIT DELETE ROWS</c>) and after each merge. A staging table rolled back with
/// the transaction that created it makes the next COPY fail, and the failed write opens a new connection, on which it
/// is created again.
/// </summary>
public sealed class PostgreSqlBulkWriter(PostgreSqlDialect dialect) : IBulkRowWriter
{
    private static readonly IEqualityComparer<object[]> KeyComparer = new StructuralKeyComparer();

    private readonly ConditionalWeakTable<DbConnection, HashSet<string>> _created = [];

    public int MinimumRows => 64;

    public bool CanWrite(SinkStatement statement, IReadOnlyList<DbParameter> parameters) =>
        statement.Bulk is { } shape &&
        (shape.Mode == InsertMode.Insert || shape.KeyIndexes.Count > 0) &&
        parameters.All(p => StagingType(((NpgsqlParameter)p).NpgsqlDbType) is not null);

    public async Task WriteAsync(
        DbConnection connection, DbTransaction transaction, SinkStatement statement, IReadOnlyList<DbParameter> parameters,
        IReadOnlyList<PendingRow> rows, CancellationToken cancellationToken)
    {
        var shape = statement.Bulk ?? throw new ArgumentException("The statement has no bulk shape.", nameof(statement));
        var npgsql = (NpgsqlConnection)connection;
        var types = parameters.Select(p => ((NpgsqlParameter)p).NpgsqlDbType).ToArray();
        var stage = StageName(types);
        var created = _created.GetOrCreateValue(connection);
        if (!created.Contains(stage))
        {
            await ExecuteAsync(npgsql, transaction, CreateStageSql(stage, types), cancellationToken).ConfigureAwait(false);
            created.Add(stage);
        }

        await using (var copy = await npgsql.BeginBinaryImportAsync(
            $"COPY {stage} FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in shape.Mode == InsertMode.Insert ? rows : LastOfEachKey(rows, shape.KeyIndexes))
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < types.Length; i++)
                {
                    var value = row.Values[i];
                    if (value is DBNull)
                    {
                        await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await copy.WriteAsync(value, types[i], cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(npgsql, transaction, MergeSql(shape, stage) + $"; DELETE FROM {stage}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SQL that moves the staged rows (columns <c>c0..</c> in parameter order) into the table.</summary>
    public string MergeSql(BulkShape shape, string stage)
    {
        var table = dialect.QualifiedName(shape.Table);
        var staged = string.Join(", ", shape.Columns.Select((_, i) => StagedColumn(i)));
        var columns = string.Join(", ", shape.Columns.Select(dialect.Quote));
        var keys = shape.KeyIndexes.ToHashSet();
        var nonKeys = Enumerable.Range(0, shape.Columns.Count).Where(i => !keys.Contains(i)).ToList();
        switch (shape.Mode)
        {
            case InsertMode.Insert:
                return $"INSERT INTO {table} ({columns}) SELECT {staged} FROM {stage}";
            case InsertMode.Upsert:
                var conflict = string.Join(", ", shape.KeyIndexes.Select(i => dialect.Quote(shape.Columns[i])));
                var action = nonKeys.Count == 0
                    ? "DO NOTHING"
                    : "DO UPDATE SET " + string.Join(", ", nonKeys.Select(i => $"{dialect.Quote(shape.Columns[i])} = EXCLUDED.{dialect.Quote(shape.Columns[i])}"));
                return $"INSERT INTO {table} ({columns}) SELECT {staged} FROM {stage} ON CONFLICT ({conflict}) {action}";
            default:
                var set = string.Join(", ", nonKeys.Select(i => $"{dialect.Quote(shape.Columns[i])} = s.{StagedColumn(i)}"));
                var match = string.Join(" AND ", shape.KeyIndexes.Select(i => $"t.{dialect.Quote(shape.Columns[i])} = s.{StagedColumn(i)}"));
                return $"UPDATE {table} AS t SET {set} FROM {stage} AS s WHERE {match}";
        }
    }

    /// <summary>The SQL type a staged column of this parameter type has; null for one the server types itself (unknown).</summary>
    public static string? StagingType(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Smallint => "int2",
        NpgsqlDbType.Integer => "int4",
        NpgsqlDbType.Bigint => "int8",
        NpgsqlDbType.Real => "float4",
        NpgsqlDbType.Double => "float8",
        NpgsqlDbType.Boolean => "bool",
        NpgsqlDbType.Bytea => "bytea",
        NpgsqlDbType.Text => "text",
        NpgsqlDbType.Numeric => "numeric",
        NpgsqlDbType.Date => "date",
        NpgsqlDbType.Time => "time",
        NpgsqlDbType.Timestamp => "timestamp",
        NpgsqlDbType.TimestampTz => "timestamptz",
        _ => null,
    };

    private static string StagedColumn(int index) => "c" + index.ToString(CultureInfo.InvariantCulture);

    // One staging table per list of column types, shared by the tables whose statements have those types.
    private static string StageName(NpgsqlDbType[] types)
    {
        var signature = string.Join(',', types.Select(t => StagingType(t)));
        return "tributary_stage_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signature)).AsSpan(0, 12));
    }

    private static string CreateStageSql(string stage, NpgsqlDbType[] types) =>
        $"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ({string.Join(", ", types.Select((t, i) => $"{StagedColumn(i)} {StagingType(t)}"))}) ON COMMIT DELETE ROWS";

    private static List<PendingRow> LastOfEachKey(IReadOnlyList<PendingRow> rows, IReadOnlyList<int> keyIndexes)
    {
        var last = new Dictionary<object[], int>(rows.Count, KeyComparer);
        for (var i = 0; i < rows.Count; i++)
        {
            var key = new object[keyIndexes.Count];
            for (var k = 0; k < key.Length; k++)
            {
                key[k] = rows[i].Values[keyIndexes[k]];
            }

            last[key] = i;
        }

        if (last.Count == rows.Count)
        {
            return [.. rows];
        }

        var kept = new List<PendingRow>(last.Count);
        var winners = last.Values.ToHashSet();
        for (var i = 0; i < rows.Count; i++)
        {
            if (winners.Contains(i))
            {
                kept.Add(rows[i]);
            }
        }

        return kept;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, (NpgsqlTransaction)transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Key values compared as values, byte arrays by their contents.</summary>
    private sealed class StructuralKeyComparer : IEqualityComparer<object[]>
    {
        public bool Equals(object[]? x, object[]? y) => StructuralComparisons.StructuralEqualityComparer.Equals(x, y);

        public int GetHashCode(object[] obj) => StructuralComparisons.StructuralEqualityComparer.GetHashCode(obj);
    }
}
