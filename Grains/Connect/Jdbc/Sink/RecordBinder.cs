using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Jdbc.Dialects;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Turns records of one key and value schema into rows of one statement (kafka-connect-jdbc's
/// <c>PreparedStatementBinder</c> and the statement building of <c>BufferedRecords</c>): the key columns per
/// <c>pk.mode</c>, then the value's columns, in the order the dialect's SQL takes them: keys first for INSERT and
/// upserts, non-keys first for UPDATE, keys alone for DELETE. Values are converted here, when the record is buffered,
/// so that a record that cannot be written is found before anything reaches the database.
/// </summary>
public sealed class RecordBinder
{
    private readonly DatabaseDialect _dialect;
    private readonly TimeZoneInfo _zone;
    private readonly TimeZoneInfo _dateZone;

    private RecordBinder(SinkStatement statement, DatabaseDialect dialect, JdbcSinkConfig config)
    {
        Statement = statement;
        _dialect = dialect;
        _zone = config.Connection.TimeZone;
        _dateZone = config.DateTimeZone;
    }

    public SinkStatement Statement { get; }

    /// <summary>The INSERT, upsert or UPDATE (per <c>insert.mode</c>) for records with a value.</summary>
    public static RecordBinder ForWrites(
        JdbcSinkConfig config, DatabaseDialect dialect, TableId table, FieldsMetadata fields, TableDefinition definition, ConnectSchema? keySchema)
    {
        var keys = KeyBindings(config, dialect, fields, definition, keySchema);
        var values = fields.NonKeyFieldNames.Select(name => ValueBinding(dialect, fields.Field(name), definition)).ToList();
        var keyNames = fields.KeyFieldNames;
        var (sql, order) = config.InsertMode switch
        {
            InsertMode.Insert => (dialect.InsertSql(table, [.. keyNames, .. fields.NonKeyFieldNames]), keys.Concat(values)),
            InsertMode.Upsert when keyNames.Count == 0 => throw new ConnectException(
                $"Write to table '{table}' in UPSERT mode requires key field names to be known, check the primary key configuration"),
            InsertMode.Upsert => (dialect.UpsertSql(table, keyNames, fields.NonKeyFieldNames), keys.Concat(values)),
            InsertMode.Update when keyNames.Count == 0 => throw new ConnectException(
                $"Write to table '{table}' in UPDATE mode requires key field names to be known, check the primary key configuration"),
            _ => (dialect.UpdateSql(table, keyNames, fields.NonKeyFieldNames), values.Concat(keys)),
        };
        List<ColumnBinding> bindings = [.. order];
        var firstKey = config.InsertMode == InsertMode.Update ? values.Count : 0; // UPDATE takes its keys last, for its WHERE
        var bulk = new BulkShape(config.InsertMode, table, [.. bindings.Select(b => b.Column)], [.. Enumerable.Range(firstKey, keys.Count)]);
        return new RecordBinder(new SinkStatement(sql, bindings, dialect.PrefersPositionalParameters, bulk), dialect, config);
    }

    /// <summary>The DELETE by key for tombstones (<c>delete.enabled</c>, which requires <c>pk.mode=record_key</c>).</summary>
    public static RecordBinder ForDeletes(
        JdbcSinkConfig config, DatabaseDialect dialect, TableId table, FieldsMetadata fields, TableDefinition definition, ConnectSchema? keySchema)
    {
        if (config.PrimaryKeyMode != PrimaryKeyMode.RecordKey)
        {
            throw new ConnectException("Deletes are only supported for pk.mode record_key");
        }

        if (fields.KeyFieldNames.Count == 0)
        {
            throw new ConnectException("Require primary keys to support delete");
        }

        var keys = KeyBindings(config, dialect, fields, definition, keySchema);
        return new RecordBinder(new SinkStatement(dialect.DeleteSql(table, fields.KeyFieldNames), keys, dialect.PrefersPositionalParameters), dialect, config);
    }

    public PendingRow Bind(SinkRecord record)
    {
        var parameters = Statement.Parameters;
        var values = new object[parameters.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var binding = parameters[i];
            values[i] = _dialect.BindValue(binding.Schema, InZone(binding.Schema, binding.Read(record)), _zone, binding.TargetKind);
        }

        return new PendingRow(Statement, values, record);
    }

    // Confluent writes a DATE as the calendar day in date.timezone and a TIME as the wall clock in db.timezone; the
    // dialect takes the day or the time of day of what it is given.
    private object? InZone(ConnectSchema schema, object? value) => value switch
    {
        DateTime date when schema.Name == LogicalTypes.DateName && _dateZone != TimeZoneInfo.Utc =>
            TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(date, DateTimeKind.Utc), _dateZone),
        DateTime time when schema.Name == LogicalTypes.TimeName && _zone != TimeZoneInfo.Utc =>
            TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(time, DateTimeKind.Utc), _zone),
        _ => value,
    };

    private static List<ColumnBinding> KeyBindings(JdbcSinkConfig config, DatabaseDialect dialect, FieldsMetadata fields, TableDefinition definition, ConnectSchema? keySchema)
    {
        var names = fields.KeyFieldNames;
        switch (config.PrimaryKeyMode)
        {
            case PrimaryKeyMode.Kafka:
                return
                [
                    Binding(dialect, names[0], ConnectSchema.String, definition, r => r.Topic),
                    Binding(dialect, names[1], ConnectSchema.Int32, definition, r => r.KafkaPartition),
                    Binding(dialect, names[2], ConnectSchema.Int64, definition, r => r.KafkaOffset),
                ];
            case PrimaryKeyMode.RecordKey when keySchema!.Type.IsPrimitive():
                return [Binding(dialect, names[0], keySchema, definition, r => r.Key)];
            case PrimaryKeyMode.RecordKey:
                return [.. names.Select(name => StructBinding(dialect, keySchema!.Field(name)!, definition, r => r.Key))];
            case PrimaryKeyMode.RecordValue:
                return [.. names.Select(name => ValueBinding(dialect, fields.Field(name), definition))];
            default:
                return [];
        }
    }

    private static ColumnBinding ValueBinding(DatabaseDialect dialect, SinkRecordField field, TableDefinition definition) =>
        StructBinding(dialect, new Field(field.Name, -1, field.Schema), definition, r => r.Value);

    private static ColumnBinding StructBinding(DatabaseDialect dialect, Field field, TableDefinition definition, Func<SinkRecord, object?> part)
    {
        var name = field.Name;
        return Binding(dialect, name, field.Schema, definition, r => part(r) is Struct s ? s.Get(name) : null);
    }

    private static ColumnBinding Binding(
        DatabaseDialect dialect, string column, ConnectSchema schema, TableDefinition definition, Func<SinkRecord, object?> read)
    {
        if (!schema.Type.IsPrimitive())
        {
            throw new ConnectException($"Unsupported source data type: {schema.Type.Name().ToUpperInvariant()} (field '{column}')");
        }

        var target = definition.Column(column);
        return new ColumnBinding(column, schema, target, target is null ? SqlTypeKind.Unsupported : dialect.Classify(target.TypeName), read);
    }
}
