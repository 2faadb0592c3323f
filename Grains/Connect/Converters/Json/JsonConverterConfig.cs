using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// The JSON converter's settings (Kafka's <c>JsonConverterConfig</c>): <c>schemas.enable</c>,
/// <c>schemas.cache.size</c>, <c>decimal.format</c> and <c>replace.null.with.default</c>, besides <c>converter.type</c>.
/// </summary>
public sealed class JsonConverterConfig
{
    public const string SchemasEnableConfig = "schemas.enable";
    public const string SchemasCacheSizeConfig = "schemas.cache.size";
    public const string DecimalFormatConfig = "decimal.format";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";

    public static ConfigDef ConfigDef { get; } = Define();

    public JsonConverterConfig(IReadOnlyDictionary<string, string> properties)
    {
        var parsed = ConfigDef.Parse(properties);
        Type = ConverterConfig.TypeOf(parsed);
        SchemasEnabled = parsed.GetBoolean(SchemasEnableConfig);
        SchemaCacheSize = parsed.GetInt(SchemasCacheSizeConfig);
        DecimalFormat = parsed.GetString(DecimalFormatConfig)!.Equals("NUMERIC", StringComparison.OrdinalIgnoreCase)
            ? DecimalFormat.Numeric
            : DecimalFormat.Base64;
        ReplaceNullWithDefault = parsed.GetBoolean(ReplaceNullWithDefaultConfig);
    }

    public ConverterType Type { get; }

    public bool SchemasEnabled { get; }

    public int SchemaCacheSize { get; }

    public DecimalFormat DecimalFormat { get; }

    public bool ReplaceNullWithDefault { get; }

    private static ConfigDef Define()
    {
        var def = ConverterConfig.NewConfigDef();
        def.Define(
            SchemasEnableConfig, ConfigType.Boolean, Importance.High, "Include schemas within each of the serialized values and keys.",
            defaultValue: true, group: "Schemas", orderInGroup: 0, width: Width.Medium, displayName: "Enable Schemas");
        def.Define(
            SchemasCacheSizeConfig, ConfigType.Int, Importance.High, "The maximum number of schemas that can be cached in this converter instance.",
            defaultValue: 1000, group: "Schemas", orderInGroup: 1, width: Width.Medium, displayName: "Schema Cache Size");
        def.Define(
            DecimalFormatConfig, ConfigType.String, Importance.Low,
            "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
            defaultValue: "BASE64", validator: Validators.InIgnoringCase("BASE64", "NUMERIC"),
            group: "Serialization", orderInGroup: 0, width: Width.Medium, displayName: "Decimal Format");
        def.Define(
            ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Low,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            defaultValue: true, group: "Serialization", orderInGroup: 1, width: Width.Medium, displayName: "Replace null with default");
        return def;
    }
}
