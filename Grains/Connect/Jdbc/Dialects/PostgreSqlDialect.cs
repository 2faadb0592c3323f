using System.Data.Common;
using Npgsql;
using Tributary.Grains.Connect.Api.Data;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Dialects;

/// <summary>
/// PostgreSQL through Npgsql (kafka-connect-jdbc's <c>PostgreSqlDatabaseDialect</c>): tables from
/// <c>information_schema</c> outside the system schemas, <c>ON CONFLICT ... DO UPDATE</c> upserts, and UUID, JSON,
/// JSONB and XML columns read as strings.
/// </summary>
public sealed class PostgreSqlDialect(bool quoteIdentifiers) : DatabaseDialect(quoteIdentifiers)
{
    public const string DialectName = "PostgreSqlDatabaseDialect";

    public override string Name => DialectName;

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override System.Data.CommandBehavior QueryBehavior => System.Data.CommandBehavior.KeyInfo;

    public override bool ValuesHaveTheColumnsType => true;

    public override async Task<IReadOnlyList<TableId>> ListTablesAsync(
        DbConnection connection, IReadOnlyCollection<string> tableTypes, string? schemaPattern, CancellationToken cancellationToken)
    {
        // information_schema says 'BASE TABLE' where JDBC's table.types says TABLE.
        var types = tableTypes.Select(t => t.Trim().ToUpperInvariant() switch
        {
            "TABLE" => "BASE TABLE",
            "PARTITIONED TABLE" => "BASE TABLE",
            var other => other,
        }).Distinct().ToArray();
        await using var command = (NpgsqlCommand)connection.CreateCommand();
        command.CommandText =
            "SELECT table_schema, table_name FROM information_schema.tables " +
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%' " +
            "AND table_type = ANY(@types) AND (@pattern::text IS NULL OR table_schema LIKE @pattern::text) " +
            "ORDER BY table_schema, table_name";
        command.Parameters.AddWithValue("types", types);
        command.Parameters.AddWithValue("pattern", (object?)schemaPattern ?? DBNull.Value);
        var tables = new List<TableId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tables.Add(new TableId(reader.GetString(0), reader.GetString(1)));
        }

        return tables;
    }

    public override async Task<IReadOnlyList<ColumnInfo>> DescribeTableAsync(DbConnection connection, TableId table, CancellationToken cancellationToken)
    {
        await using var command = (NpgsqlCommand)connection.CreateCommand();
        command.CommandText =
            "SELECT c.column_name, c.data_type, c.is_nullable = 'YES', " +
            "EXISTS (SELECT 1 FROM information_schema.table_constraints t JOIN information_schema.key_column_usage k " +
            "  ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema AND k.table_name = t.table_name " +
            "  WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema AND t.table_name = c.table_name " +
            "  AND k.column_name = c.column_name), " +
            "COALESCE(c.column_default LIKE 'nextval(%', FALSE) OR c.is_identity = 'YES' " +
            "FROM information_schema.columns c " +
            "WHERE c.table_name = @table AND c.table_schema = COALESCE(@schema::text, current_schema()) " +
            "ORDER BY c.ordinal_position";
        command.Parameters.AddWithValue("table", table.Table);
        command.Parameters.AddWithValue("schema", (object?)table.Schema ?? DBNull.Value);
        var columns = new List<ColumnInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(new ColumnInfo(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4)));
        }

        return columns;
    }

    public override async Task<DateTime> CurrentTimeUtcAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT CURRENT_TIMESTAMP";
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return DateTime.SpecifyKind(((DateTime)value!).ToUniversalTime(), DateTimeKind.Utc);
    }

    public override SqlTypeKind Classify(string typeName) => BaseName(typeName) switch
    {
        "boolean" or "bool" => SqlTypeKind.Boolean,
        "smallint" or "int2" or "smallserial" => SqlTypeKind.Int16,
        "integer" or "int" or "int4" or "serial" => SqlTypeKind.Int32,
        "bigint" or "int8" or "bigserial" or "oid" => SqlTypeKind.Int64,
        "real" or "float4" => SqlTypeKind.Float32,
        "double precision" or "float8" or "money" => SqlTypeKind.Float64,
        "numeric" or "decimal" => SqlTypeKind.Numeric,
        "text" or "character varying" or "varchar" or "character" or "char" or "bpchar" or "name" or "citext" or
            "uuid" or "json" or "jsonb" or "xml" or "inet" or "cidr" or "macaddr" or "interval" => SqlTypeKind.String,
        "bytea" => SqlTypeKind.Bytes,
        "date" => SqlTypeKind.Date,
        "time" or "time without time zone" => SqlTypeKind.Time,
        "timestamp" or "timestamp without time zone" => SqlTypeKind.Timestamp,
        "timestamptz" or "timestamp with time zone" => SqlTypeKind.TimestampWithTimeZone,
        _ => SqlTypeKind.Unsupported,
    };

    public override string SqlType(ConnectSchema schema) => schema.Name switch
    {
        LogicalTypes.DecimalName => "DECIMAL",
        LogicalTypes.DateName => "DATE",
        LogicalTypes.TimeName => "TIME",
        LogicalTypes.TimestampName => "TIMESTAMP",
        _ => schema.Type switch
        {
            SchemaType.Int8 or SchemaType.Int16 => "SMALLINT",
            SchemaType.Int32 => "INT",
            SchemaType.Int64 => "BIGINT",
            SchemaType.Float32 => "REAL",
            SchemaType.Float64 => "DOUBLE PRECISION",
            SchemaType.Boolean => "BOOLEAN",
            SchemaType.String => "TEXT",
            SchemaType.Bytes => "BYTEA",
            _ => throw new Api.ConnectException($"{Name} does not support the Connect type {schema.Type.Name().ToUpperInvariant()} as a column"),
        },
    };

    public override string UpsertSql(TableId table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> nonKeyColumns)
    {
        var columns = keyColumns.Concat(nonKeyColumns).ToList();
        var conflict = string.Join(", ", keyColumns.Select(Quote));
        var action = nonKeyColumns.Count == 0
            ? "DO NOTHING"
            : "DO UPDATE SET " + string.Join(", ", nonKeyColumns.Select(c => $"{Quote(c)} = EXCLUDED.{Quote(c)}"));
        return $"{InsertSql(table, columns)} ON CONFLICT ({conflict}) {action}";
    }

    public override bool PrefersPositionalParameters => true;

    public override Sink.IBulkRowWriter? BulkRowWriter => field ??= new PostgreSqlBulkWriter(this);

    public override object BindValue(ConnectSchema schema, object? value, TimeZoneInfo zone) =>
        value is sbyte small ? (short)small : base.BindValue(schema, value, zone);

    /// <summary>
    /// The column's own type for every Connect type, so that Npgsql sends typed values (a SMALLINT for Int8, which
    /// PostgreSQL lacks), except text bound into a column that is not text (uuid, json, enums...): that goes as
    /// PostgreSQL's <c>unknown</c>, which the server converts to the column's type as it would a literal.
    /// </summary>
    public override void ConfigureParameter(DbParameter parameter, ConnectSchema schema, ColumnInfo? column)
    {
        var kind = column is null ? SqlTypeKind.Unsupported : Classify(column.TypeName);
        ((NpgsqlParameter)parameter).NpgsqlDbType = schema.Name switch
        {
            LogicalTypes.DecimalName => NpgsqlTypes.NpgsqlDbType.Numeric,
            LogicalTypes.DateName => NpgsqlTypes.NpgsqlDbType.Date,
            LogicalTypes.TimeName => NpgsqlTypes.NpgsqlDbType.Time,
            LogicalTypes.TimestampName => kind == SqlTypeKind.TimestampWithTimeZone
                ? NpgsqlTypes.NpgsqlDbType.TimestampTz
                : NpgsqlTypes.NpgsqlDbType.Timestamp,
            _ => schema.Type switch
            {
                SchemaType.Int8 or SchemaType.Int16 => NpgsqlTypes.NpgsqlDbType.Smallint,
                SchemaType.Int32 => NpgsqlTypes.NpgsqlDbType.Integer,
                SchemaType.Int64 => NpgsqlTypes.NpgsqlDbType.Bigint,
                SchemaType.Float32 => NpgsqlTypes.NpgsqlDbType.Real,
                SchemaType.Float64 => NpgsqlTypes.NpgsqlDbType.Double,
                SchemaType.Boolean => NpgsqlTypes.NpgsqlDbType.Boolean,
                SchemaType.Bytes => NpgsqlTypes.NpgsqlDbType.Bytea,
                SchemaType.String when column is null || IsText(column.TypeName) => NpgsqlTypes.NpgsqlDbType.Text,
                _ => NpgsqlTypes.NpgsqlDbType.Unknown,
            },
        };
    }

    private static bool IsText(string typeName) =>
        BaseName(typeName) is "text" or "character varying" or "varchar" or "character" or "char" or "bpchar" or "name" or "citext";

    // "timestamp(3) with time zone" and "numeric(10,2)" name the same types as without their modifiers.
    private static string BaseName(string typeName) =>
        string.Join(' ', System.Text.RegularExpressions.Regex.Replace(typeName.ToLowerInvariant(), @"\([^)]*\)", " ")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
