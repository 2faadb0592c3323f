using System.Globalization;
using System.Numerics;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Casts top-level fields, or the whole key or value, to another primitive type (Kafka's <c>Cast</c>): integers,
/// floats, booleans and strings to any of those, bytes to a base64 string, and the Date, Time and Timestamp logical
/// types to their epoch numbers or ISO 8601 text. Numeric narrowing wraps as Java's does. Derived schemas are cached.
/// </summary>
public abstract class Cast<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string SpecConfig = "spec";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";
    private const string Purpose = "cast types";
    private const long MillisPerDay = 24L * 60 * 60 * 1000;

    private static readonly SchemaType[] SupportedInputTypes =
    [
        SchemaType.Int8, SchemaType.Int16, SchemaType.Int32, SchemaType.Int64, SchemaType.Float32, SchemaType.Float64,
        SchemaType.Boolean, SchemaType.String, SchemaType.Bytes,
    ];

    private static readonly SchemaType[] SupportedOutputTypes =
    [
        SchemaType.Int8, SchemaType.Int16, SchemaType.Int32, SchemaType.Int64, SchemaType.Float32, SchemaType.Float64,
        SchemaType.Boolean, SchemaType.String,
    ];

    private static readonly JavaDateFormat TimeFormat = JavaDateFormat.Compile("HH:mm:ss.SSS'Z'");
    private static readonly JavaDateFormat DateFormat = JavaDateFormat.Compile("yyyy-MM-dd");
    private static readonly JavaDateFormat TimestampFormat = JavaDateFormat.Compile("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(
            SpecConfig, ConfigType.List, Importance.High,
            "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. " +
            "A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. " +
            "Note that binary fields can only be cast to string.",
            required: true,
            validator: Validators.From(
                (_, value) =>
                {
                    if (value is not IReadOnlyList<string> { Count: > 0 } list)
                    {
                        throw new ConfigException("Must specify at least one field to cast.");
                    }

                    ParseFieldTypes(list);
                },
                "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>"))
        .Define(
            ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true);

    private readonly RecordPart _part;
    private readonly SchemaCache _schemaUpdateCache = new();
    private IReadOnlyDictionary<string, SchemaType> _casts = new Dictionary<string, SchemaType>();
    private SchemaType? _wholeValueCastType;
    private bool _replaceNullWithDefault = true;

    protected Cast(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        (_casts, _wholeValueCastType) = ParseFieldTypes(config.GetList(SpecConfig));
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
    }

    public TRecord? Apply(TRecord record)
    {
        var value = _part.ValueOf(record);
        if (value is null)
        {
            return record;
        }

        var schema = _part.SchemaOf(record);
        return schema is null ? ApplySchemaless(record, value) : ApplyWithSchema(record, schema, value);
    }

    private TRecord ApplySchemaless(TRecord record, object value)
    {
        if (_wholeValueCastType is { } wholeType)
        {
            return _part.With(record, null, CastValueToType(null, value, wholeType));
        }

        var map = Requirements.RequireMap(value, Purpose);
        var updated = SchemalessMaps.Copy(map);
        foreach (var (field, type) in _casts)
        {
            updated[field] = CastValueToType(null, SchemalessMaps.Get(map, field), type);
        }

        return _part.With(record, null, updated);
    }

    private TRecord ApplyWithSchema(TRecord record, Schema schema, object value)
    {
        var updatedSchema = _schemaUpdateCache.GetOrAdd(schema, BuildSchema);
        if (_wholeValueCastType is { } wholeType)
        {
            return _part.With(record, updatedSchema, CastValueToType(schema, value, wholeType));
        }

        var structValue = Requirements.RequireStruct(value, Purpose);
        var updatedValue = new Struct(updatedSchema);
        foreach (var field in structValue.Schema.Fields)
        {
            var original = _replaceNullWithDefault ? structValue.Get(field) : structValue.GetWithoutDefault(field.Name);
            var cast = _casts.TryGetValue(field.Name, out var target) ? CastValueToType(field.Schema, original, target) : original;
            updatedValue.Put(updatedSchema.Field(field.Name)!, cast);
        }

        return _part.With(record, updatedSchema, updatedValue);
    }

    private Schema BuildSchema(Schema schema)
    {
        SchemaBuilder builder;
        if (_wholeValueCastType is { } wholeType)
        {
            builder = SchemaUtil.CopySchemaBasics(schema, BuilderFor(wholeType));
        }
        else
        {
            builder = SchemaUtil.CopySchemaBasics(schema, SchemaBuilder.Struct());
            foreach (var field in schema.Fields)
            {
                if (!_casts.TryGetValue(field.Name, out var target))
                {
                    builder.Field(field.Name, field.Schema);
                    continue;
                }

                var fieldBuilder = BuilderFor(target);
                if (field.Schema.IsOptional)
                {
                    fieldBuilder.Optional();
                }

                if (field.Schema.DefaultValue is not null)
                {
                    fieldBuilder.DefaultValue(CastValueToType(field.Schema, field.Schema.DefaultValue, target));
                }

                builder.Field(field.Name, fieldBuilder.Build());
            }
        }

        if (schema.IsOptional)
        {
            builder.Optional();
        }

        if (schema.DefaultValue is not null)
        {
            builder.DefaultValue(CastValueToType(schema, schema.DefaultValue, builder.Type));
        }

        return builder.Build();
    }

    private static SchemaBuilder BuilderFor(SchemaType type) => type switch
    {
        SchemaType.Int8 => SchemaBuilder.Int8(),
        SchemaType.Int16 => SchemaBuilder.Int16(),
        SchemaType.Int32 => SchemaBuilder.Int32(),
        SchemaType.Int64 => SchemaBuilder.Int64(),
        SchemaType.Float32 => SchemaBuilder.Float32(),
        SchemaType.Float64 => SchemaBuilder.Float64(),
        SchemaType.Boolean => SchemaBuilder.Bool(),
        SchemaType.String => SchemaBuilder.String(),
        _ => throw new DataException("Unexpected type in Cast transformation: " + TypeName(type)),
    };

    internal static object? CastValueToType(Schema? schema, object? value, SchemaType targetType)
    {
        if (value is null)
        {
            return null;
        }

        var inferredType = schema?.Type ?? JavaText.InferType(value) ??
            throw new DataException("Cast transformation was passed a value of type " + value.GetType() + " which is not supported by Connect's data API");
        ValidInputType(inferredType);

        // Logical types are cast through their epoch numbers, except to string, which writes them as ISO 8601 text.
        if (schema?.Name is not null && targetType != SchemaType.String)
        {
            value = EncodeLogicalType(schema, value);
        }

        try
        {
            return targetType switch
            {
                SchemaType.Int8 => value switch
                {
                    bool b => (sbyte)(b ? 1 : 0),
                    string s => sbyte.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                    _ => unchecked((sbyte)JavaInt(value)),
                },
                SchemaType.Int16 => value switch
                {
                    bool b => (short)(b ? 1 : 0),
                    string s => short.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                    _ => unchecked((short)JavaInt(value)),
                },
                SchemaType.Int32 => value switch
                {
                    bool b => b ? 1 : 0,
                    string s => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                    _ => JavaInt(value),
                },
                SchemaType.Int64 => value switch
                {
                    bool b => b ? 1L : 0L,
                    string s => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                    _ => JavaLong(value),
                },
                SchemaType.Float32 => value switch
                {
                    bool b => b ? 1f : 0f,
                    string s => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                    _ => (float)JavaDouble(value),
                },
                SchemaType.Float64 => value switch
                {
                    bool b => b ? 1d : 0d,
                    string s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                    _ => JavaDouble(value),
                },
                SchemaType.Boolean => value switch
                {
                    bool b => b,
                    string s => s.Equals("true", StringComparison.OrdinalIgnoreCase),
                    _ => JavaLong(value) != 0L,
                },
                SchemaType.String => CastToString(value),
                _ => throw new DataException(TypeName(targetType) + " is not supported in the Cast transformation."),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new DataException("Value (" + value + ") was out of range for requested data type", e);
        }
    }

    private static object EncodeLogicalType(Schema schema, object value) => (schema.Name, value) switch
    {
        (LogicalTypes.DateName, DateTime d) => LogicalTypes.FromDate(d),
        (LogicalTypes.TimeName, DateTime t) => LogicalTypes.FromTime(t),
        (LogicalTypes.TimestampName, DateTime ts) => LogicalTypes.FromTimestamp(ts),
        _ => value,
    };

    private static string CastToString(object value)
    {
        switch (value)
        {
            case DateTime dateTime:
                var millis = LogicalTypes.FromTimestamp(dateTime);
                var format = millis < MillisPerDay ? TimeFormat : millis % MillisPerDay == 0 ? DateFormat : TimestampFormat;
                return format.Format(dateTime);
            case byte[] bytes:
                return Convert.ToBase64String(bytes);
            default:
                return JavaText.ToJavaString(value);
        }
    }

    /// <summary>Java's <c>Number.intValue()</c>: floating values saturate, integral ones keep their low 32 bits.</summary>
    private static int JavaInt(object value) => value switch
    {
        float f => (int)Saturate(f, int.MinValue, int.MaxValue),
        double d => (int)Saturate(d, int.MinValue, int.MaxValue),
        _ => unchecked((int)JavaLong(value)),
    };

    /// <summary>Java's <c>Number.longValue()</c>: floating values saturate, decimals keep the low 64 bits of their integer part.</summary>
    private static long JavaLong(object value) => value switch
    {
        sbyte b => b,
        short s => s,
        int i => i,
        long l => l,
        float f => Saturate(f, long.MinValue, long.MaxValue),
        double d => Saturate(d, long.MinValue, long.MaxValue),
        decimal m => unchecked((long)(ulong)(new BigInteger(decimal.Truncate(m)) & ulong.MaxValue)),
        _ => throw new DataException("Unexpected type in Cast transformation: " + value.GetType()),
    };

    private static double JavaDouble(object value) => value switch
    {
        float f => f,
        double d => d,
        decimal m => (double)m,
        _ => JavaLong(value),
    };

    private static long Saturate(double value, long min, long max)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        if (value >= max)
        {
            return max;
        }

        return value <= min ? min : (long)value;
    }

    private static (IReadOnlyDictionary<string, SchemaType> Casts, SchemaType? WholeValue) ParseFieldTypes(IReadOnlyList<string> mappings)
    {
        var casts = new Dictionary<string, SchemaType>(StringComparer.Ordinal);
        SchemaType? wholeValue = null;
        foreach (var mapping in mappings)
        {
            var parts = JavaText.Split(mapping, ':');
            if (parts.Length is 0 or > 2)
            {
                throw new ConfigException(SpecConfig, string.Join(",", mappings), "Invalid cast mapping: " + mapping);
            }

            if (parts.Length == 1)
            {
                wholeValue = ValidOutputType(parts[0].Trim());
            }
            else
            {
                casts[parts[0].Trim()] = ValidOutputType(parts[1].Trim());
            }
        }

        if (wholeValue is not null && mappings.Count > 1)
        {
            throw new ConfigException("Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec");
        }

        return (casts, wholeValue);
    }

    private static SchemaType ValidOutputType(string name)
    {
        var type = SchemaTypes.Parse(name) ?? throw new ConfigException("Invalid type found in casting spec: " + name);
        if (!SupportedOutputTypes.Contains(type))
        {
            throw new ConfigException("Cast transformation does not support casting to " + TypeName(type) + "; supported types are " + TypeList(SupportedOutputTypes));
        }

        return type;
    }

    private static void ValidInputType(SchemaType type)
    {
        if (!SupportedInputTypes.Contains(type))
        {
            throw new DataException("Cast transformation does not support casting from " + TypeName(type) + "; supported types are " + TypeList(SupportedInputTypes));
        }
    }

    private static string TypeName(SchemaType type) => type.Name().ToUpperInvariant();

    private static string TypeList(SchemaType[] types) => "[" + string.Join(", ", types.Select(TypeName)) + "]";
}

/// <summary>Casts fields of the record key, or the whole key (Kafka's <c>Cast$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.Cast$Key")]
public sealed class CastKey<TRecord>() : Cast<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Casts fields of the record value, or the whole value (Kafka's <c>Cast$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.Cast$Value")]
public sealed class CastValue<TRecord>() : Cast<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
