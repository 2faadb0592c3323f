using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Converts a timestamp field, or the whole key or value, between Unix epoch numbers, formatted strings and Connect's
/// Date, Time and Timestamp types (Kafka's <c>TimestampConverter</c>). The source kind comes from the schema, or from
/// the value when schemaless (DateTime is a Timestamp, long is Unix time, string is formatted). Strings use a Java
/// <c>SimpleDateFormat</c> pattern in UTC (see <see cref="JavaDateFormat"/> for the letters supported). Conversions go
/// through milliseconds, as Kafka's do, so sub-millisecond Unix precision is lost. Derived schemas are cached.
/// </summary>
public abstract class TimestampConverter<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string FieldConfig = "field";
    public const string TargetTypeConfig = "target.type";
    public const string FormatConfig = "format";
    public const string UnixPrecisionConfig = "unix.precision";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";
    private const string Purpose = "converting timestamp formats";
    private const string TypeString = "string";
    private const string TypeUnix = "unix";
    private const string TypeDate = "Date";
    private const string TypeTime = "Time";
    private const string TypeTimestamp = "Timestamp";
    private const string PrecisionMillis = "milliseconds";
    private const string PrecisionMicros = "microseconds";
    private const string PrecisionNanos = "nanoseconds";
    private const string PrecisionSeconds = "seconds";

    public static readonly Schema OptionalDateSchema = LogicalTypes.Date().Optional().Build();
    public static readonly Schema OptionalTimeSchema = LogicalTypes.Time().Optional().Build();
    public static readonly Schema OptionalTimestampSchema = LogicalTypes.Timestamp().Optional().Build();

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(FieldConfig, ConfigType.String, Importance.High,
            "The field containing the timestamp, or empty if the entire value is a timestamp", "")
        .Define(TargetTypeConfig, ConfigType.String, Importance.High,
            "The desired timestamp representation: string, unix, Date, Time, or Timestamp",
            required: true, validator: Validators.In(TypeString, TypeUnix, TypeDate, TypeTime, TypeTimestamp))
        .Define(FormatConfig, ConfigType.String, Importance.Medium,
            "A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.",
            "")
        .Define(UnixPrecisionConfig, ConfigType.String, Importance.Low,
            "The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix " +
            "or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.",
            PrecisionMillis, validator: Validators.In(PrecisionNanos, PrecisionMicros, PrecisionMillis, PrecisionSeconds))
        .Define(ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true);

    private readonly RecordPart _part;
    private readonly SchemaCache _schemaUpdateCache = new();
    private string _field = "";
    private string _targetType = TypeTimestamp;
    private JavaDateFormat? _format;
    private string _unixPrecision = PrecisionMillis;
    private bool _replaceNullWithDefault = true;

    protected TimestampConverter(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _field = config.GetString(FieldConfig) ?? "";
        _targetType = config.GetString(TargetTypeConfig)!;
        var pattern = config.GetString(FormatConfig);
        _unixPrecision = config.GetString(UnixPrecisionConfig)!;
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
        if (_targetType == TypeString && string.IsNullOrWhiteSpace(pattern))
        {
            throw new ConfigException("TimestampConverter requires format option to be specified when using string timestamps");
        }

        _format = null;
        if (!string.IsNullOrWhiteSpace(pattern))
        {
            try
            {
                _format = JavaDateFormat.Compile(pattern);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException("TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: " + pattern + " (" + e.Message + ")");
            }
        }
    }

    public TRecord? Apply(TRecord record)
    {
        var schema = _part.SchemaOf(record);
        return schema is null ? ApplySchemaless(record) : ApplyWithSchema(record, schema);
    }

    private TRecord ApplyWithSchema(TRecord record, Schema schema)
    {
        if (_field.Length == 0)
        {
            var updatedSchema = TargetSchema(schema.IsOptional);
            return _part.With(record, updatedSchema, Convert(_part.ValueOf(record), TimestampTypeFromSchema(schema)));
        }

        var value = Requirements.RequireStructOrNull(_part.ValueOf(record), Purpose);
        var updated = _schemaUpdateCache.GetOrAdd(schema, BuildSchema);
        return _part.With(record, updated, ConvertStruct(value, updated));
    }

    /// <summary>
    /// The struct schema with the timestamp field's schema replaced. Kafka also converts a struct default; a default
    /// struct must be built on the finished schema, which our builder cannot offer, so a struct default is dropped.
    /// </summary>
    private Schema BuildSchema(Schema schema)
    {
        var builder = SchemaUtil.CopySchemaBasics(schema, SchemaBuilder.Struct());
        foreach (var field in schema.Fields)
        {
            builder.Field(field.Name, field.Name == _field ? TargetSchema(field.Schema.IsOptional) : field.Schema);
        }

        if (schema.IsOptional)
        {
            builder.Optional();
        }

        return builder.Build();
    }

    private Struct? ConvertStruct(Struct? value, Schema updatedSchema)
    {
        if (value is null)
        {
            return null;
        }

        var updated = new Struct(updatedSchema);
        foreach (var field in value.Schema.Fields)
        {
            var fieldValue = _replaceNullWithDefault ? value.Get(field) : value.GetWithoutDefault(field.Name);
            updated.Put(field.Name, field.Name == _field ? Convert(fieldValue, TimestampTypeFromSchema(field.Schema)) : fieldValue);
        }

        return updated;
    }

    private TRecord ApplySchemaless(TRecord record)
    {
        var raw = _part.ValueOf(record);
        if (raw is null || _field.Length == 0)
        {
            return _part.With(record, null, Convert(raw, null));
        }

        var map = Requirements.RequireMap(raw, Purpose);
        var updated = SchemalessMaps.Copy(map);
        updated[_field] = Convert(SchemalessMaps.Get(map, _field), null);
        return _part.With(record, null, updated);
    }

    private Schema TargetSchema(bool optional) => _targetType switch
    {
        TypeString => optional ? Schema.OptionalString : Schema.String,
        TypeUnix => optional ? Schema.OptionalInt64 : Schema.Int64,
        TypeDate => optional ? OptionalDateSchema : LogicalTypes.DateSchema,
        TypeTime => optional ? OptionalTimeSchema : LogicalTypes.TimeSchema,
        _ => optional ? OptionalTimestampSchema : LogicalTypes.TimestampSchema,
    };

    private static string TimestampTypeFromSchema(Schema schema) => schema switch
    {
        { Name: LogicalTypes.TimestampName } => TypeTimestamp,
        { Name: LogicalTypes.DateName } => TypeDate,
        { Name: LogicalTypes.TimeName } => TypeTime,
        { Type: SchemaType.String } => TypeString,
        { Type: SchemaType.Int64 } => TypeUnix,
        _ => throw new ConnectException("Schema " + schema + " does not correspond to a known timestamp type format"),
    };

    private static string InferTimestampType(object timestamp) => timestamp switch
    {
        DateTime => TypeTimestamp,
        long => TypeUnix,
        string => TypeString,
        _ => throw new DataException("TimestampConverter does not support " + timestamp.GetType() + " objects as timestamps"),
    };

    /// <summary>The timestamp in the target representation; <paramref name="sourceType"/> null means inferred from the value.</summary>
    private object? Convert(object? timestamp, string? sourceType)
    {
        if (timestamp is null)
        {
            return null;
        }

        try
        {
            return ToTarget(ToRaw(timestamp, sourceType ?? InferTimestampType(timestamp)));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new DataException("Timestamp " + timestamp + " is outside the range of dates that can be represented", e);
        }
    }

    private DateTime ToRaw(object timestamp, string sourceType)
    {
        switch (sourceType)
        {
            case TypeString:
                if (timestamp is not string text)
                {
                    throw new DataException("Expected string timestamp to be a String, but found " + timestamp.GetType());
                }

                var format = _format ?? throw new DataException("TimestampConverter requires the format option to parse string timestamps");
                try
                {
                    return format.Parse(text);
                }
                catch (FormatException e)
                {
                    throw new DataException("Could not parse timestamp: value (" + text + ") does not match pattern (" + format.Pattern + ")", e);
                }

            case TypeUnix:
                if (timestamp is not long unix)
                {
                    throw new DataException("Expected Unix timestamp to be a Long, but found " + timestamp.GetType());
                }

                var millis = _unixPrecision switch
                {
                    PrecisionSeconds => SaturatingMultiply(unix, 1000),
                    PrecisionMicros => unix / 1000,
                    PrecisionNanos => unix / 1_000_000,
                    _ => unix,
                };
                return LogicalTypes.ToTimestamp(millis);
            default:
                if (timestamp is not DateTime dateTime)
                {
                    throw new DataException("Expected " + sourceType + " to be a DateTime, but found " + timestamp.GetType());
                }

                return dateTime.Kind switch
                {
                    DateTimeKind.Local => dateTime.ToUniversalTime(),
                    DateTimeKind.Unspecified => DateTime.SpecifyKind(dateTime, DateTimeKind.Utc),
                    _ => dateTime,
                };
        }
    }

    private object ToTarget(DateTime raw)
    {
        switch (_targetType)
        {
            case TypeString:
                return _format!.Format(raw);
            case TypeUnix:
                var millis = LogicalTypes.FromTimestamp(raw);
                return _unixPrecision switch
                {
                    PrecisionSeconds => millis / 1000,
                    PrecisionMicros => SaturatingMultiply(millis, 1000),
                    PrecisionNanos => SaturatingMultiply(millis, 1_000_000),
                    _ => millis,
                };
            case TypeDate:
                return DateTime.SpecifyKind(raw.Date, DateTimeKind.Utc);
            case TypeTime:
                var millisOfDay = raw.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond;
                return DateTime.UnixEpoch.AddMilliseconds(millisOfDay);
            default:
                return raw;
        }
    }

    /// <summary>Java's <c>TimeUnit</c> conversions saturate rather than overflow.</summary>
    private static long SaturatingMultiply(long value, long factor)
    {
        if (value > long.MaxValue / factor)
        {
            return long.MaxValue;
        }

        return value < long.MinValue / factor ? long.MinValue : value * factor;
    }
}

/// <summary>Converts a timestamp in the record key (Kafka's <c>TimestampConverter$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.TimestampConverter$Key")]
public sealed class TimestampConverterKey<TRecord>() : TimestampConverter<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Converts a timestamp in the record value (Kafka's <c>TimestampConverter$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.TimestampConverter$Value")]
public sealed class TimestampConverterValue<TRecord>() : TimestampConverter<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
