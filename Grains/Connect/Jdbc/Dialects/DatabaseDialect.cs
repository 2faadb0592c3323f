using System.Data.Common;
using System.Globalization;
using System.Text;
using Tributary.Grains.Connect.Api.Data;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Dialects;

/// <summary>
/// What differs between databases (kafka-connect-jdbc's <c>DatabaseDialect</c>): connections, the catalog queries that
/// list tables and columns, the current-time query, how column types map to Connect schemas and back, and the SQL of
/// inserts, upserts, updates, deletes and DDL. The SQL common to every database is built here; each database
/// overrides what it spells differently. Identifiers are quoted unless <c>quote.sql.identifiers=never</c>.
/// </summary>
public abstract class DatabaseDialect(bool quoteIdentifiers)
{
    /// <summary>Confluent's dialect name, as <c>dialect.name</c> takes it (<c>PostgreSqlDatabaseDialect</c>).</summary>
    public abstract string Name { get; }

    public bool QuoteIdentifiers { get; } = quoteIdentifiers;

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>The tables (and views when asked) whose type is one of <paramref name="tableTypes"/>, in a stable order.</summary>
    public abstract Task<IReadOnlyList<TableId>> ListTablesAsync(
        DbConnection connection, IReadOnlyCollection<string> tableTypes, string? schemaPattern, CancellationToken cancellationToken);

    /// <summary>The table's columns in order; empty when the table does not exist.</summary>
    public abstract Task<IReadOnlyList<ColumnInfo>> DescribeTableAsync(DbConnection connection, TableId table, CancellationToken cancellationToken);

    /// <summary>The database's current time as an instant (UTC), which bounds timestamp queries (kafka-connect-jdbc's <c>currentTimeOnDB</c>).</summary>
    public abstract Task<DateTime> CurrentTimeUtcAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>What a column type of this database is, from the type name its driver reports.</summary>
    public abstract SqlTypeKind Classify(string typeName);

    /// <summary>The SQL type of a new column for a Connect schema (auto-create, auto-evolve); throws for a schema it cannot hold.</summary>
    public abstract string SqlType(ConnectSchema schema);

    /// <summary>An insert that replaces the row with the same key (PostgreSQL's <c>ON CONFLICT ... DO UPDATE</c>).</summary>
    public abstract string UpsertSql(TableId table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> nonKeyColumns);

    /// <summary>How source queries run: PostgreSQL needs <see cref="System.Data.CommandBehavior.KeyInfo"/> to report which columns take nulls.</summary>
    public virtual System.Data.CommandBehavior QueryBehavior => System.Data.CommandBehavior.Default;

    /// <summary>
    /// Whether every value of a result column is of the .NET type the driver reports for the column: true of
    /// PostgreSQL's; SQLite's values each carry their own type, whatever the column declares.
    /// </summary>
    public virtual bool ValuesHaveTheColumnsType => false;

    /// <summary>The SQL expression a timestamp column is compared through; <paramref name="sql"/> is a column or a parameter.</summary>
    public virtual string TimestampExpression(string sql) => sql;

    /// <summary>
    /// The precision and scale of a NUMERIC column as the driver reports them (<paramref name="declaredType"/> is the
    /// type the table declares, when the result comes from one table); null when unconstrained.
    /// </summary>
    public virtual (int Precision, int Scale)? NumericPrecision(DbColumn column, string? declaredType) =>
        column.NumericPrecision is > 0 and var precision ? (precision, column.NumericScale ?? 0) : null;

    /// <summary>Reads a date, time or timestamp column's value as the provider returns it; SQLite overrides it to parse text.</summary>
    public virtual object? ReadTemporal(DbDataReader reader, int ordinal, SqlTypeKind kind) => kind switch
    {
        SqlTypeKind.Time => reader.GetValue(ordinal) switch
        {
            TimeSpan span => span,
            TimeOnly time => time.ToTimeSpan(),
            DateTime dateTime => dateTime.TimeOfDay,
            var other => throw new InvalidCastException($"Cannot read a {other.GetType().Name} as a time"),
        },
        SqlTypeKind.Date => reader.GetValue(ordinal) switch
        {
            DateTime dateTime => dateTime.Date,
            DateOnly date => date.ToDateTime(TimeOnly.MinValue),
            var other => throw new InvalidCastException($"Cannot read a {other.GetType().Name} as a date"),
        },
        _ => reader.GetValue(ordinal) switch
        {
            DateTime dateTime => dateTime,
            DateTimeOffset offset => offset.UtcDateTime,
            var other => throw new InvalidCastException($"Cannot read a {other.GetType().Name} as a timestamp"),
        },
    };

    /// <summary>The value bound for a timestamp parameter compared with a column of this kind.</summary>
    public virtual object TimestampParameter(DateTime utc, SqlTypeKind columnKind, TimeZoneInfo zone) =>
        columnKind == SqlTypeKind.TimestampWithTimeZone
            ? DateTime.SpecifyKind(utc, DateTimeKind.Utc)
            : DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(utc, zone), DateTimeKind.Unspecified);

    /// <summary>The ADO.NET value bound for a Connect value of <paramref name="schema"/>: logical types become dates, times and decimals.</summary>
    public virtual object BindValue(ConnectSchema schema, object? value, TimeZoneInfo zone)
    {
        if (value is null)
        {
            return DBNull.Value;
        }

        return schema.Name switch
        {
            LogicalTypes.DateName => DateOnly.FromDateTime((DateTime)value),
            LogicalTypes.TimeName => TimeOnly.FromTimeSpan(((DateTime)value).TimeOfDay),
            LogicalTypes.TimestampName => DateTime.SpecifyKind(
                TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc), zone), DateTimeKind.Unspecified),
            _ => value,
        };
    }

    /// <summary>
    /// The ADO.NET value the sink binds for a Connect value written into a column of <paramref name="columnKind"/>
    /// (<see cref="SqlTypeKind.Unsupported"/> when unknown). As <see cref="BindValue(ConnectSchema, object?, TimeZoneInfo)"/>,
    /// except that a Timestamp written into a timestamp-with-time-zone column is bound as the instant it is, not as
    /// a wall-clock time in <paramref name="zone"/>, which the database would read in its session's zone.
    /// </summary>
    public virtual object BindValue(ConnectSchema schema, object? value, TimeZoneInfo zone, SqlTypeKind columnKind) =>
        value is DateTime instant && schema.Name == LogicalTypes.TimestampName && columnKind == SqlTypeKind.TimestampWithTimeZone
            ? TimestampParameter(DateTime.SpecifyKind(instant, DateTimeKind.Utc), columnKind, zone)
            : BindValue(schema, value, zone);

    /// <summary>
    /// Gives a parameter the sink binds values of <paramref name="schema"/> through its database type, once per
    /// statement shape (the sink copies the configured parameter for each row): a prepared statement then keeps its
    /// parameter types whatever a row holds, nulls included, instead of being prepared again. By default the provider
    /// infers the type from each value.
    /// </summary>
    public virtual void ConfigureParameter(DbParameter parameter, ConnectSchema schema, ColumnInfo? column)
    {
    }

    /// <summary>
    /// Whether the provider runs statements with positional parameters (<c>$1</c>, unnamed) without the SQL rewriting
    /// that named ones cost it on every command: Npgsql parses each command's SQL to turn <c>@p0</c> into <c>$1</c>,
    /// which in a batch of thousands of rows is a third of the sink's time.
    /// </summary>
    public virtual bool PrefersPositionalParameters => false;

    /// <summary>The dialect's way to write a flush of many rows of one statement at once; null to run the statement per row.</summary>
    public virtual Sink.IBulkRowWriter? BulkRowWriter => null;

    /// <summary>
    /// This class's DML (<see cref="InsertSql"/>, <see cref="UpsertSql"/>, <see cref="UpdateSql"/>,
    /// <see cref="DeleteSql"/>) with its <c>@pN</c> placeholders written as <c>$N+1</c>; quoted identifiers are left
    /// as they are, whatever they contain.
    /// </summary>
    public static string ToPositionalParameters(string sql)
    {
        var result = new StringBuilder(sql.Length);
        var quoted = false;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c == '"')
            {
                quoted = !quoted; // a doubled quote inside an identifier toggles twice
            }
            else if (!quoted && c == '@' && i + 2 < sql.Length && sql[i + 1] == 'p' && char.IsAsciiDigit(sql[i + 2]))
            {
                var end = i + 2;
                while (end < sql.Length && char.IsAsciiDigit(sql[end]))
                {
                    end++;
                }

                result.Append('$').Append(int.Parse(sql.AsSpan(i + 2, end - i - 2), CultureInfo.InvariantCulture) + 1);
                i = end - 1;
                continue;
            }

            result.Append(c);
        }

        return result.ToString();
    }

    public string Quote(string identifier) =>
        QuoteIdentifiers ? "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : identifier;

    public string QualifiedName(TableId table) =>
        table.Schema is null ? Quote(table.Table) : Quote(table.Schema) + "." + Quote(table.Table);

    public string SelectAllSql(TableId table) => "SELECT * FROM " + QualifiedName(table);

    public string InsertSql(TableId table, IReadOnlyList<string> columns) =>
        $"INSERT INTO {QualifiedName(table)} ({string.Join(", ", columns.Select(Quote))}) VALUES ({Parameters(columns.Count)})";

    public string UpdateSql(TableId table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> nonKeyColumns) =>
        $"UPDATE {QualifiedName(table)} SET {string.Join(", ", nonKeyColumns.Select((c, i) => $"{Quote(c)} = @p{i}"))}" +
        $" WHERE {string.Join(" AND ", keyColumns.Select((c, i) => $"{Quote(c)} = @p{nonKeyColumns.Count + i}"))}";

    public string DeleteSql(TableId table, IReadOnlyList<string> keyColumns) =>
        $"DELETE FROM {QualifiedName(table)} WHERE {string.Join(" AND ", keyColumns.Select((c, i) => $"{Quote(c)} = @p{i}"))}";

    /// <summary>A CREATE TABLE for these fields: required fields NOT NULL, defaults as literals, the key as the primary key.</summary>
    public virtual string CreateTableSql(TableId table, IReadOnlyList<(string Name, ConnectSchema Schema)> fields, IReadOnlyList<string> keyColumns)
    {
        var sql = new StringBuilder("CREATE TABLE ").Append(QualifiedName(table)).Append(" (");
        sql.AppendJoin(", ", fields.Select(f => ColumnDefinition(f.Name, f.Schema, keyColumns.Contains(f.Name))));
        if (keyColumns.Count > 0)
        {
            sql.Append(", PRIMARY KEY(").AppendJoin(", ", keyColumns.Select(Quote)).Append(')');
        }

        return sql.Append(')').ToString();
    }

    /// <summary>The statements that add these columns (one per column: SQLite adds one column per ALTER TABLE).</summary>
    public virtual IReadOnlyList<string> AlterTableSql(TableId table, IReadOnlyList<(string Name, ConnectSchema Schema)> fields) =>
        [.. fields.Select(f => $"ALTER TABLE {QualifiedName(table)} ADD {ColumnDefinition(f.Name, f.Schema, key: false)}")];

    protected string ColumnDefinition(string name, ConnectSchema schema, bool key)
    {
        var definition = new StringBuilder(Quote(name)).Append(' ').Append(SqlType(schema));
        if (schema.DefaultValue is not null)
        {
            definition.Append(" DEFAULT ").Append(Literal(schema, schema.DefaultValue));
        }

        if (key || !schema.IsOptional)
        {
            definition.Append(" NOT NULL");
        }

        return definition.ToString();
    }

    /// <summary>A default value as a SQL literal.</summary>
    protected virtual string Literal(ConnectSchema schema, object value) => value switch
    {
        bool b => b ? "TRUE" : "FALSE",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        DateTime d when schema.Name == LogicalTypes.DateName => d.ToString("'''yyyy-MM-dd'''", CultureInfo.InvariantCulture),
        DateTime d when schema.Name == LogicalTypes.TimeName => d.ToString("'''HH:mm:ss.fff'''", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("'''yyyy-MM-dd HH:mm:ss.fff'''", CultureInfo.InvariantCulture),
        byte[] bytes => "X'" + Convert.ToHexString(bytes) + "'",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new Api.ConnectException($"Cannot write a default of type {value.GetType().Name} as SQL"),
    };

    protected static string Parameters(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"@p{i}"));
}
