using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// How Connect data maps to Avro (Confluent's <c>AvroDataConfig</c> over <c>AbstractDataConfig</c>): the converted
/// schema cache's size, Connect's metadata in the Avro schema, enum and package preservation, name scrubbing, and the
/// smaller switches, all with Confluent's names and defaults.
/// </summary>
internal sealed class AvroDataConfig
{
    public const string GeneralizedSumTypeSupportConfig = "generalized.sum.type.support";
    public const string IgnoreDefaultForNullablesConfig = "ignore.default.for.nullables";
    public const string SchemasCacheSizeConfig = "schemas.cache.config";
    public const string EnhancedAvroSchemaSupportConfig = "enhanced.avro.schema.support";
    public const string ScrubInvalidNamesConfig = "scrub.invalid.names";
    public const string ConnectMetaDataConfig = "connect.meta.data";
    public const string AllowOptionalMapKeysConfig = "allow.optional.map.keys";
    public const string FlattenSingletonUnionsConfig = "flatten.singleton.unions";
    public const string DiscardTypeDocDefaultConfig = "discard.type.doc.default";

    public AvroDataConfig(ParsedConfig parsed)
    {
        GeneralizedSumTypeSupport = parsed.GetBoolean(GeneralizedSumTypeSupportConfig);
        IgnoreDefaultForNullables = parsed.GetBoolean(IgnoreDefaultForNullablesConfig);
        SchemasCacheSize = Math.Max(1, parsed.GetInt(SchemasCacheSizeConfig));
        EnhancedAvroSchemaSupport = parsed.GetBoolean(EnhancedAvroSchemaSupportConfig);
        ScrubInvalidNames = parsed.GetBoolean(ScrubInvalidNamesConfig);
        ConnectMetaData = parsed.GetBoolean(ConnectMetaDataConfig);
        AllowOptionalMapKeys = parsed.GetBoolean(AllowOptionalMapKeysConfig);
        FlattenSingletonUnions = parsed.GetBoolean(FlattenSingletonUnionsConfig);
        DiscardTypeDocDefault = parsed.GetBoolean(DiscardTypeDocDefaultConfig);
    }

    /// <summary>The defaults, as a converter that was given none of these settings has them.</summary>
    public static AvroDataConfig Defaults { get; } = new(Define(new ConfigDef()).Parse(new Dictionary<string, string>()));

    public bool GeneralizedSumTypeSupport { get; }

    public bool IgnoreDefaultForNullables { get; }

    public int SchemasCacheSize { get; }

    public bool EnhancedAvroSchemaSupport { get; }

    public bool ScrubInvalidNames { get; }

    public bool ConnectMetaData { get; }

    public bool AllowOptionalMapKeys { get; }

    public bool FlattenSingletonUnions { get; }

    public bool DiscardTypeDocDefault { get; }

    /// <summary>Adds AvroData's settings to <paramref name="def"/>.</summary>
    public static ConfigDef Define(ConfigDef def) => def
        .Define(GeneralizedSumTypeSupportConfig, ConfigType.Boolean, Importance.Medium,
            "Toggle for enabling/disabling generalized sum type support: interoperability of enum/union with other schema formats",
            defaultValue: false)
        .Define(IgnoreDefaultForNullablesConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to ignore the default for nullable fields when the value is null", defaultValue: false)
        .Define(SchemasCacheSizeConfig, ConfigType.Int, Importance.Low, "Size of the converted schemas cache", defaultValue: 1000)
        .Define(EnhancedAvroSchemaSupportConfig, ConfigType.Boolean, Importance.Medium,
            "Toggle for enabling/disabling enhanced avro schema support: Enum symbol preservation and Package Name awareness",
            defaultValue: false)
        .Define(ScrubInvalidNamesConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to scrub invalid names by replacing invalid characters with valid ones", defaultValue: false)
        .Define(ConnectMetaDataConfig, ConfigType.Boolean, Importance.Low,
            "Toggle for enabling/disabling connect converter to add its meta data to the output schema or not", defaultValue: true)
        .Define(DiscardTypeDocDefaultConfig, ConfigType.Boolean, Importance.Low,
            "Only Avro field doc and default will be retained during conversion of Avro and Connect schema.", defaultValue: false)
        .Define(AllowOptionalMapKeysConfig, ConfigType.Boolean, Importance.Low,
            "Allow optional string map key when converting from Connect Schema to Avro Schema.", defaultValue: false)
        .Define(FlattenSingletonUnionsConfig, ConfigType.Boolean, Importance.Low, "Whether to flatten singleton unions", defaultValue: true);
}
