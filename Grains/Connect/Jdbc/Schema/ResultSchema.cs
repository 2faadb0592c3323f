using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Jdbc.Dialects;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Schema;

/// <summary>
/// The Connect schema of a query's rows and the reading of each row as a <see cref="Struct"/> (kafka-connect-jdbc's
/// <c>SchemaMapping</c> and <c>DataConverter</c>): a struct named after the table, one field per column in the
/// result's order, optional when the column takes nulls. Integers, floats, booleans, text and bytes keep their type;
/// NUMERIC follows <c>numeric.mapping</c>; DATE, TIME and TIMESTAMP become Connect's Date, Time and Timestamp (a
/// timestamp without time zone read as a wall-clock time in <c>db.timezone</c>); UUID, JSON and the other
/// text-like types become strings. A column of a type with no mapping is left out with a warning, as Confluent does.
/// </summary>
public sealed class ResultSchema
{
    /// <summary>The Decimal schema parameter that carries the column's precision, as kafka-connect-jdbc sets it.</summary>
    public const string DecimalPrecisionParameter = "connect.decimal.precision";

    // kafka-connect-jdbc's MAX_INTEGER_TYPE_PRECISION: a NUMERIC of up to 18 digits fits in a long.
    private const int MaxIntegerTypePrecision = 18;

    private ResultSchema(ConnectSchema schema, IReadOnlyList<ColumnMapping> columns, string signature)
    {
        Schema = schema;
        Columns = columns;
        Signature = signature;
    }

    public ConnectSchema Schema { get; }

    public IReadOnlyList<ColumnMapping> Columns { get; }

    /// <summary>The column names and types it was built from: a result with another signature needs another schema.</summary>
    public string Signature { get; }

    public static string SignatureOf(DbDataReader reader) =>
        string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i) + ":" + reader.GetDataTypeName(i)));

    /// <param name="declaredTypes">The table's columns' declared types by name, when the result comes from one table.</param>
    public static ResultSchema Build(
        string? name, IReadOnlyList<DbColumn> columns, string signature, DatabaseDialect dialect, NumericMapping numericMapping,
        TimeZoneInfo zone, ILogger logger, IReadOnlyDictionary<string, string>? declaredTypes = null)
    {
        var builder = SchemaBuilder.Struct().WithName(name);
        var mappings = new List<ColumnMapping>();
        foreach (var column in columns)
        {
            var ordinal = column.ColumnOrdinal ?? mappings.Count;
            var typeName = column.DataTypeName ?? "";
            var kind = dialect.Classify(typeName);
            var optional = column.AllowDBNull ?? true;
            var declared = declaredTypes?.GetValueOrDefault(column.BaseColumnName ?? column.ColumnName);
            var providerType = dialect.ValuesHaveTheColumnsType ? column.DataType : null;
            var mapped = Map(kind, dialect.NumericPrecision(column, declared), numericMapping, optional, dialect, zone, providerType);
            if (mapped is null)
            {
                logger.LogWarning("JDBC type {Type} of column {Column} is not currently supported; the column is left out", typeName, column.ColumnName);
                continue;
            }

            builder.Field(column.ColumnName, mapped.Value.Schema);
            mappings.Add(new ColumnMapping(column.ColumnName, ordinal, mapped.Value.Schema, mapped.Value.Read)
            {
                ThrowsOnNull = !optional && ReadsTheProvidersType(kind, providerType),
            });
        }

        return new ResultSchema(builder.Build(), mappings, signature);
    }

    /// <summary>The field of an integer type read from the result's column at <paramref name="ordinal"/>; null when there is none.</summary>
    public Field? IntegerFieldOf(int ordinal)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Ordinal == ordinal)
            {
                return Schema.Fields[i].Schema.Type is SchemaType.Int8 or SchemaType.Int16 or SchemaType.Int32 or SchemaType.Int64 ? Schema.Fields[i] : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The row the reader is on, as a struct of <see cref="Schema"/>. Each column's reader gives a value of its field's
    /// type, so only a null is checked against its field (a required field refuses it, as <see cref="Struct.Put(Field, object?)"/> would).
    /// </summary>
    public Struct Read(DbDataReader reader)
    {
        var row = new Struct(Schema);
        for (var i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            if (column.ThrowsOnNull)
            {
                // A column declared NOT NULL is read without asking the driver first (it seeks to the value twice
                // then); a null there after all (an outer join in a query) makes the typed read throw, and is refused.
                try
                {
                    row.PutUnchecked(i, column.Read(reader, column.Ordinal));
                    continue;
                }
                catch (InvalidCastException) when (reader.IsDBNull(column.Ordinal))
                {
                    row.Put(Schema.Fields[i], null);
                }
            }
            else if (reader.IsDBNull(column.Ordinal))
            {
                row.Put(Schema.Fields[i], null);
            }
            else
            {
                row.PutUnchecked(i, column.Read(reader, column.Ordinal));
            }
        }

        return row;
    }

    /// <param name="providerType">The .NET type of every value of the column, when the dialect promises one: its values are
    /// then read as that type, without the driver's box and a conversion per value.</param>
    private static (ConnectSchema Schema, Func<DbDataReader, int, object?> Read)? Map(
        SqlTypeKind kind, (int Precision, int Scale)? precision, NumericMapping numericMapping, bool optional,
        DatabaseDialect dialect, TimeZoneInfo zone, Type? providerType)
    {
        ConnectSchema Primitive(SchemaBuilder builder) => (optional ? builder.Optional() : builder).Build();
        if (Typed(kind, providerType) is { } typed)
        {
            return (Primitive(typed.Builder), typed.Read);
        }

        switch (kind)
        {
            case SqlTypeKind.Boolean:
                return (Primitive(SchemaBuilder.Bool()), static (r, i) => r.GetValue(i) switch
                {
                    bool b => b,
                    var other => Convert.ToInt64(other, CultureInfo.InvariantCulture) != 0,
                });
            case SqlTypeKind.Int8:
                return (Primitive(SchemaBuilder.Int8()), static (r, i) => Convert.ToSByte(r.GetValue(i), CultureInfo.InvariantCulture));
            case SqlTypeKind.Int16:
                return (Primitive(SchemaBuilder.Int16()), static (r, i) => Convert.ToInt16(r.GetValue(i), CultureInfo.InvariantCulture));
            case SqlTypeKind.Int32:
                // The provider's own type is read without a box of its own (SQLite's integers are all 64-bit).
                return (Primitive(SchemaBuilder.Int32()), static (r, i) => r.GetFieldType(i) == typeof(int) ? r.GetInt32(i) : Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture));
            case SqlTypeKind.Int64:
                return (Primitive(SchemaBuilder.Int64()), static (r, i) => r.GetFieldType(i) == typeof(long) ? r.GetInt64(i) : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture));
            case SqlTypeKind.Float32:
                return (Primitive(SchemaBuilder.Float32()), static (r, i) => Convert.ToSingle(r.GetValue(i), CultureInfo.InvariantCulture));
            case SqlTypeKind.Float64:
                return (Primitive(SchemaBuilder.Float64()), static (r, i) => r.GetFieldType(i) == typeof(double) ? r.GetDouble(i) : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture));
            case SqlTypeKind.Numeric:
                return MapNumeric(precision, numericMapping, optional);
            case SqlTypeKind.String:
                return (Primitive(SchemaBuilder.String()), static (r, i) => r.GetValue(i) switch
                {
                    string s => s,
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture),
                });
            case SqlTypeKind.Bytes:
                return (Primitive(SchemaBuilder.Bytes()), static (r, i) => r.GetValue(i) switch
                {
                    byte[] bytes => bytes,
                    string text => System.Text.Encoding.UTF8.GetBytes(text),
                    var other => throw new InvalidCastException($"Cannot read a {other.GetType().Name} as bytes"),
                });
            case SqlTypeKind.Date:
                return (Primitive(LogicalTypes.Date()), (r, i) =>
                    DateTime.SpecifyKind(((DateTime)dialect.ReadTemporal(r, i, SqlTypeKind.Date)!).Date, DateTimeKind.Utc));
            case SqlTypeKind.Time:
                return (Primitive(LogicalTypes.Time()), (r, i) =>
                    DateTime.UnixEpoch.AddMilliseconds(Math.Floor(((TimeSpan)dialect.ReadTemporal(r, i, SqlTypeKind.Time)!).TotalMilliseconds)));
            case SqlTypeKind.Timestamp or SqlTypeKind.TimestampWithTimeZone when providerType == typeof(DateTime):
                // Read as the provider's own type: no box for the driver's value and another for the dialect's answer.
                return (Primitive(LogicalTypes.Timestamp()), (r, i) => ToInstant(r.GetDateTime(i), zone));
            case SqlTypeKind.Timestamp:
            case SqlTypeKind.TimestampWithTimeZone:
                return (Primitive(LogicalTypes.Timestamp()), (r, i) => ToInstant((DateTime)dialect.ReadTemporal(r, i, kind)!, zone));
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether the column's values are read with the driver's typed getter for <paramref name="providerType"/>, which
    /// throws on a null where the other readers would see <see cref="DBNull"/>.
    /// </summary>
    private static bool ReadsTheProvidersType(SqlTypeKind kind, Type? providerType) =>
        Typed(kind, providerType) is not null
        || (kind is SqlTypeKind.Timestamp or SqlTypeKind.TimestampWithTimeZone && providerType == typeof(DateTime));

    /// <summary>The reader of a column whose values are all of <paramref name="providerType"/>, where that is its kind's own type.</summary>
    private static (SchemaBuilder Builder, Func<DbDataReader, int, object?> Read)? Typed(SqlTypeKind kind, Type? providerType) => kind switch
    {
        SqlTypeKind.Boolean when providerType == typeof(bool) => (SchemaBuilder.Bool(), static (r, i) => r.GetBoolean(i)),
        SqlTypeKind.Int16 when providerType == typeof(short) => (SchemaBuilder.Int16(), static (r, i) => r.GetInt16(i)),
        SqlTypeKind.Int32 when providerType == typeof(int) => (SchemaBuilder.Int32(), static (r, i) => r.GetInt32(i)),
        SqlTypeKind.Int64 when providerType == typeof(long) => (SchemaBuilder.Int64(), static (r, i) => r.GetInt64(i)),
        SqlTypeKind.Float32 when providerType == typeof(float) => (SchemaBuilder.Float32(), static (r, i) => r.GetFloat(i)),
        SqlTypeKind.Float64 when providerType == typeof(double) => (SchemaBuilder.Float64(), static (r, i) => r.GetDouble(i)),
        SqlTypeKind.String when providerType == typeof(string) => (SchemaBuilder.String(), static (r, i) => r.GetString(i)),
        _ => null,
    };

    /// <summary>
    /// A timestamp value as an instant: a provider's UTC value as it is, a wall-clock value (no kind) read in
    /// <paramref name="zone"/>.
    /// </summary>
    public static DateTime ToInstant(DateTime value, TimeZoneInfo zone) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ when ReferenceEquals(zone, TimeZoneInfo.Utc) => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => TimeZoneInfo.ConvertTimeToUtc(value, zone),
    };

    // kafka-connect-jdbc's GenericDatabaseDialect.addFieldToSchema for NUMERIC. An unconstrained NUMERIC (no
    // precision) has no fixed scale, which a Connect Decimal needs, so it is read as FLOAT64.
    private static (ConnectSchema Schema, Func<DbDataReader, int, object?> Read)? MapNumeric(
        (int Precision, int Scale)? precision, NumericMapping mapping, bool optional)
    {
        ConnectSchema Optional(SchemaBuilder builder) => (optional ? builder.Optional() : builder).Build();

        if (precision is not var (p, s))
        {
            return (Optional(SchemaBuilder.Float64()), static (r, i) => Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture));
        }

        var integral = mapping switch
        {
            NumericMapping.PrecisionOnly => s == 0 && p <= MaxIntegerTypePrecision,
            NumericMapping.BestFit or NumericMapping.BestFitEagerDouble => p <= MaxIntegerTypePrecision && s <= 0,
            _ => false,
        };
        if (integral)
        {
            return p switch
            {
                > 9 => (Optional(SchemaBuilder.Int64()), static (r, i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture)),
                > 4 => (Optional(SchemaBuilder.Int32()), static (r, i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture)),
                > 2 => (Optional(SchemaBuilder.Int16()), static (r, i) => Convert.ToInt16(r.GetValue(i), CultureInfo.InvariantCulture)),
                _ => (Optional(SchemaBuilder.Int8()), static (r, i) => Convert.ToSByte(r.GetValue(i), CultureInfo.InvariantCulture)),
            };
        }

        var asDouble = s > 0 && (mapping == NumericMapping.BestFitEagerDouble || (mapping == NumericMapping.BestFit && p <= MaxIntegerTypePrecision));
        if (asDouble)
        {
            return (Optional(SchemaBuilder.Float64()), static (r, i) => Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture));
        }

        var scale = s;
        var schema = Optional(LogicalTypes.Decimal(scale).Parameter(DecimalPrecisionParameter, p.ToString(CultureInfo.InvariantCulture)));
        return (schema, (r, i) => decimal.Round(Convert.ToDecimal(r.GetValue(i), CultureInfo.InvariantCulture), scale, MidpointRounding.ToEven));
    }
}
