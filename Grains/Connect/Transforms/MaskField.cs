using System.Collections;
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
/// Replaces the values of the named fields with the empty value of their type (0, false, "", the epoch, an empty list
/// or map), or with a configured replacement converted to the field's type for numbers and strings (Kafka's
/// <c>MaskField</c>). Null values stay null; the schema is unchanged.
/// </summary>
public abstract class MaskField<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string FieldsConfig = "fields";
    public const string ReplacementConfig = "replacement";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";
    private const string Purpose = "mask fields";
    private const NumberStyles NumberSyntax = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(FieldsConfig, ConfigType.List, Importance.High, "Names of fields to mask.",
            required: true, validator: TransformValidators.NonEmptyList)
        .Define(ReplacementConfig, ConfigType.String, Importance.Low,
            "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
            validator: TransformValidators.NullOrNonEmptyString)
        .Define(ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true);

    private readonly RecordPart _part;
    private HashSet<string> _maskedFields = [];
    private string? _replacement;
    private bool _replaceNullWithDefault = true;

    protected MaskField(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _maskedFields = new HashSet<string>(config.GetList(FieldsConfig), StringComparer.Ordinal);
        _replacement = config.GetString(ReplacementConfig);
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
    }

    public TRecord? Apply(TRecord record)
    {
        var schema = _part.SchemaOf(record);
        var value = _part.ValueOf(record);
        if (schema is null)
        {
            var map = Requirements.RequireMap(value, Purpose);
            var updated = SchemalessMaps.Copy(map);
            foreach (var field in _maskedFields)
            {
                updated[field] = Masked(SchemalessMaps.Get(map, field));
            }

            return _part.With(record, null, updated);
        }

        var structValue = Requirements.RequireStruct(value, Purpose);
        var updatedValue = new Struct(structValue.Schema);
        foreach (var field in structValue.Schema.Fields)
        {
            var original = _replaceNullWithDefault ? structValue.Get(field) : structValue.GetWithoutDefault(field.Name);
            updatedValue.Put(field, _maskedFields.Contains(field.Name) ? Masked(original) : original);
        }

        return _part.With(record, schema, updatedValue);
    }

    private object? Masked(object? value) =>
        value is null ? null : _replacement is null ? EmptyValueLike(value) : ReplacementLike(value, _replacement);

    private static object EmptyValueLike(object value) => value switch
    {
        bool => false,
        sbyte => (sbyte)0,
        short => (short)0,
        int => 0,
        long => 0L,
        float => 0f,
        double => 0d,
        decimal => 0m,
        BigInteger => BigInteger.Zero,
        DateTime => DateTime.UnixEpoch,
        string => "",

        // Bytes have no empty value in Kafka either; checked before IList because an array is one.
        byte[] => throw new DataException("Cannot mask value of type: " + value.GetType()),
        IList => new List<object?>(),
        IDictionary => new Dictionary<string, object?>(StringComparer.Ordinal),
        _ => throw new DataException("Cannot mask value of type: " + value.GetType()),
    };

    /// <summary>The replacement text as a value of the masked value's type; only numbers and strings can take one.</summary>
    private static object ReplacementLike(object value, string replacement)
    {
        switch (value)
        {
            case string:
                return replacement;
            case sbyte:
                return unchecked((sbyte)ParseLong(replacement));
            case short:
                return unchecked((short)ParseLong(replacement));
            case int:
                return unchecked((int)ParseLong(replacement));
            case long:
                return ParseLong(replacement);
            case float:
                return (float)ParseDouble(replacement);
            case double:
                return ParseDouble(replacement);
            case decimal:
                return decimal.TryParse(replacement, NumberSyntax, CultureInfo.InvariantCulture, out var m) ? m : throw NotANumber(replacement);
            case BigInteger:
                return BigInteger.TryParse(replacement, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? big : throw NotANumber(replacement);
            default:
                throw new DataException("Cannot mask value of type " + value.GetType() + " with custom replacement.");
        }
    }

    /// <summary>Kafka's <c>Values.convertToLong</c> of a string: any decimal number, truncated, keeping the low 64 bits.</summary>
    private static long ParseLong(string text)
    {
        if (!decimal.TryParse(text, NumberSyntax, CultureInfo.InvariantCulture, out var number))
        {
            throw NotANumber(text);
        }

        return unchecked((long)(ulong)(new BigInteger(decimal.Truncate(number)) & ulong.MaxValue));
    }

    private static double ParseDouble(string text) =>
        double.TryParse(text, NumberSyntax, CultureInfo.InvariantCulture, out var d) ? d : throw NotANumber(text);

    private static DataException NotANumber(string text) => new("Unable to convert " + text + " (" + typeof(string) + ") to number");
}

/// <summary>Masks fields of the record key (Kafka's <c>MaskField$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.MaskField$Key")]
public sealed class MaskFieldKey<TRecord>() : MaskField<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Masks fields of the record value (Kafka's <c>MaskField$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.MaskField$Value")]
public sealed class MaskFieldValue<TRecord>() : MaskField<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
