using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Tributary.Grains.Connect.Api.Data;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Dialects;

/// <summary>
/// SQLite through Microsoft.Data.Sqlite (kafka-connect-jdbc's <c>SqliteDatabaseDialect</c>). SQLite types are
/// affinities, so a column maps by its declared type with SQLite's own rules (a name containing INT is an integer,
/// CHAR/CLOB/TEXT text, BLOB bytes, REAL/FLOA/DOUB a double), refined where the declared name says more: BOOLEAN,
/// DATE, TIME, TIMESTAMP/DATETIME, DECIMAL(p,s). Dates and times are stored as ISO-8601 text (SQLite's own
/// <c>CURRENT_TIMESTAMP</c> form, UTC) and compared through <c>julianday()</c>, so that text written with or without
/// fractional seconds compares by time. Upserts are <c>INSERT ... ON CONFLICT ... DO UPDATE</c> (SQLite 3.24+).
/// </summary>
public sealed partial class SqliteDialect(bool quoteIdentifiers) : DatabaseDialect(quoteIdentifiers)
{
    public const string DialectName = "SqliteDatabaseDialect";

    private static readonly string[] TemporalFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    public override string Name => DialectName;

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override async Task<IReadOnlyList<TableId>> ListTablesAsync(
        DbConnection connection, IReadOnlyCollection<string> tableTypes, string? schemaPattern, CancellationToken cancellationToken)
    {
        var types = tableTypes.Select(t => t.Trim().ToLowerInvariant()).ToHashSet();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var tables = new List<TableId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (types.Contains(reader.GetString(1)))
            {
                tables.Add(new TableId(null, reader.GetString(0)));
            }
        }

        return tables;
    }

    public override async Task<IReadOnlyList<ColumnInfo>> DescribeTableAsync(DbConnection connection, TableId table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info(@table)";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@table";
        parameter.Value = table.Table;
        command.Parameters.Add(parameter);
        var rows = new List<(string Name, string Type, bool NotNull, long Pk)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, reader.GetInt64(3)));
            }
        }

        // A lone INTEGER PRIMARY KEY is the rowid, which SQLite fills itself.
        var keys = rows.Count(r => r.Pk > 0);
        return [.. rows.Select(r => new ColumnInfo(
            r.Name, r.Type, !r.NotNull && r.Pk == 0, r.Pk > 0,
            keys == 1 && r.Pk > 0 && r.Type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase)))];
    }

    public override async Task<DateTime> CurrentTimeUtcAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')";
        var text = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return DateTime.SpecifyKind(ParseTemporal(text), DateTimeKind.Utc);
    }

    public override SqlTypeKind Classify(string typeName)
    {
        var name = typeName.Trim().ToUpperInvariant();
        return name switch
        {
            "BOOLEAN" or "BOOL" => SqlTypeKind.Boolean,
            "TINYINT" => SqlTypeKind.Int8,
            "SMALLINT" or "INT2" => SqlTypeKind.Int16,
            "INT" or "MEDIUMINT" or "INT4" => SqlTypeKind.Int32,
            "DATE" => SqlTypeKind.Date,
            "TIME" => SqlTypeKind.Time,
            "TIMESTAMP" or "DATETIME" => SqlTypeKind.Timestamp,
            "FLOAT" or "REAL" => SqlTypeKind.Float64,
            _ when name.StartsWith("DECIMAL", StringComparison.Ordinal) || name.StartsWith("NUMERIC", StringComparison.Ordinal) => SqlTypeKind.Numeric,
            _ when name.Contains("INT", StringComparison.Ordinal) => SqlTypeKind.Int64,
            _ when name.Contains("CHAR", StringComparison.Ordinal) || name.Contains("CLOB", StringComparison.Ordinal) ||
                   name.Contains("TEXT", StringComparison.Ordinal) => SqlTypeKind.String,
            _ when name.Length == 0 || name.Contains("BLOB", StringComparison.Ordinal) => SqlTypeKind.Bytes,
            _ when name.Contains("REAL", StringComparison.Ordinal) || name.Contains("FLOA", StringComparison.Ordinal) ||
                   name.Contains("DOUB", StringComparison.Ordinal) => SqlTypeKind.Float64,
            _ => SqlTypeKind.Unsupported,
        };
    }

    /// <summary>
    /// From the table's declared type (<c>DECIMAL(10,2)</c>): SQLite's driver reports no precision of its own and names
    /// result columns' types without their parenthesis.
    /// </summary>
    public override (int Precision, int Scale)? NumericPrecision(DbColumn column, string? declaredType)
    {
        var match = PrecisionPattern().Match(declaredType ?? column.DataTypeName ?? "");
        if (!match.Success)
        {
            return null;
        }

        var precision = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var scale = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return (precision, scale);
    }

    public override string TimestampExpression(string sql) => $"julianday({sql})";

    public override object? ReadTemporal(DbDataReader reader, int ordinal, SqlTypeKind kind)
    {
        var value = reader.GetValue(ordinal);
        if (value is not string text)
        {
            // A number: seconds since the epoch, as SQLite's unixepoch() and strftime('%s') give them.
            var seconds = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            var instant = DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            return kind == SqlTypeKind.Time ? instant.TimeOfDay : kind == SqlTypeKind.Date ? instant.Date : instant;
        }

        if (kind == SqlTypeKind.Time)
        {
            return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
        }

        var parsed = ParseTemporal(text);
        return kind == SqlTypeKind.Date ? parsed.Date : parsed;
    }

    public override object TimestampParameter(DateTime utc, SqlTypeKind columnKind, TimeZoneInfo zone) =>
        Format((DateTime)base.TimestampParameter(utc, columnKind, zone));

    public override object BindValue(ConnectSchema schema, object? value, TimeZoneInfo zone)
    {
        var bound = base.BindValue(schema, value, zone);
        return schema.Name switch
        {
            _ when bound is DBNull => bound,
            LogicalTypes.DateName => ((DateOnly)bound).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            LogicalTypes.TimeName => ((TimeOnly)bound).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
            LogicalTypes.TimestampName => Format((DateTime)bound),
            _ => bound,
        };
    }

    public override string SqlType(ConnectSchema schema) => schema.Name switch
    {
        LogicalTypes.DecimalName => "NUMERIC",
        LogicalTypes.DateName => "DATE",
        LogicalTypes.TimeName => "TIME",
        LogicalTypes.TimestampName => "TIMESTAMP",
        _ => schema.Type switch
        {
            SchemaType.Int8 or SchemaType.Int16 or SchemaType.Int32 or SchemaType.Int64 => "INTEGER",
            SchemaType.Boolean => "BOOLEAN",
            SchemaType.Float32 or SchemaType.Float64 => "REAL",
            SchemaType.String => "TEXT",
            SchemaType.Bytes => "BLOB",
            _ => throw new Api.ConnectException($"{Name} does not support the Connect type {schema.Type.Name().ToUpperInvariant()} as a column"),
        },
    };

    public override string UpsertSql(TableId table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> nonKeyColumns)
    {
        var columns = keyColumns.Concat(nonKeyColumns).ToList();
        var action = nonKeyColumns.Count == 0
            ? "DO NOTHING"
            : "DO UPDATE SET " + string.Join(", ", nonKeyColumns.Select(c => $"{Quote(c)} = excluded.{Quote(c)}"));
        return $"{InsertSql(table, columns)} ON CONFLICT ({string.Join(", ", keyColumns.Select(Quote))}) {action}";
    }

    protected override string Literal(ConnectSchema schema, object value) => value is bool b ? (b ? "1" : "0") : base.Literal(schema, value);

    private static string Format(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    // Text without a zone is a wall-clock time in db.timezone (Kind Unspecified); text with one is an instant (Kind Utc).
    private static DateTime ParseTemporal(string text) =>
        DateTime.ParseExact(text.Trim(), TemporalFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    [GeneratedRegex(@"\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)")]
    private static partial Regex PrecisionPattern();
}
