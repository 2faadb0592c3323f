using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Sets the name, the version or both of the key or value schema (Kafka's <c>SetSchemaMetadata</c>); a struct value
/// is copied onto the renamed schema since a struct refers to its schema. Records without schema are refused unless
/// the key or value is null as well.
/// </summary>
public abstract class SetSchemaMetadata<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string SchemaNameConfig = "schema.name";
    public const string SchemaVersionConfig = "schema.version";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(SchemaNameConfig, ConfigType.String, Importance.High, "Schema name to set.")
        .Define(SchemaVersionConfig, ConfigType.Int, Importance.High, "Schema version to set.")
        .Define(ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true);

    private readonly RecordPart _part;
    private string? _schemaName;
    private int? _schemaVersion;
    private bool _replaceNullWithDefault = true;

    protected SetSchemaMetadata(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _schemaName = config.GetString(SchemaNameConfig);
        _schemaVersion = (int?)config.Get(SchemaVersionConfig);
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
        if (_schemaName is null && _schemaVersion is null)
        {
            throw new ConfigException("Neither schema name nor version configured");
        }
    }

    public TRecord? Apply(TRecord record)
    {
        var value = _part.ValueOf(record);
        var schema = _part.SchemaOf(record);
        if (value is null && schema is null)
        {
            return record;
        }

        var updatedSchema = WithMetadata(Requirements.RequireSchema(schema, "updating schema metadata"));
        return _part.With(record, updatedSchema, UpdateSchemaIn(value, updatedSchema));
    }

    /// <summary>
    /// The schema with the configured name and version and every other part kept. A struct default refers to the old
    /// schema and cannot be rebuilt onto a schema that is not built yet, so a struct schema's default is not carried
    /// over (Kafka keeps it, pointing at the old schema); defaults of other types are.
    /// </summary>
    private Schema WithMetadata(Schema schema)
    {
        var builder = schema.Type switch
        {
            SchemaType.Array => SchemaBuilder.Array(schema.ValueSchema!),
            SchemaType.Map => SchemaBuilder.Map(schema.KeySchema!, schema.ValueSchema!),
            _ => new SchemaBuilder(schema.Type),
        };
        foreach (var field in schema.Fields)
        {
            builder.Field(field.Name, field.Schema);
        }

        if (schema.IsOptional)
        {
            builder.Optional();
        }

        if (schema.DefaultValue is not null and not Struct)
        {
            builder.DefaultValue(schema.DefaultValue);
        }

        builder.WithName(_schemaName ?? schema.Name).WithVersion(_schemaVersion ?? schema.Version).WithDoc(schema.Doc);
        if (schema.Parameters is not null)
        {
            builder.Parameters(schema.Parameters);
        }

        return builder.Build();
    }

    private object? UpdateSchemaIn(object? keyOrValue, Schema updatedSchema)
    {
        if (keyOrValue is not Struct original)
        {
            return keyOrValue;
        }

        var updated = new Struct(updatedSchema);
        foreach (var field in updatedSchema.Fields)
        {
            updated.Put(field, _replaceNullWithDefault ? original.Get(field.Name) : original.GetWithoutDefault(field.Name));
        }

        return updated;
    }
}

/// <summary>Sets the name and/or version of the record key's schema (Kafka's <c>SetSchemaMetadata$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.SetSchemaMetadata$Key")]
public sealed class SetSchemaMetadataKey<TRecord>() : SetSchemaMetadata<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Sets the name and/or version of the record value's schema (Kafka's <c>SetSchemaMetadata$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.SetSchemaMetadata$Value")]
public sealed class SetSchemaMetadataValue<TRecord>() : SetSchemaMetadata<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
