using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Replaces the key with a struct (or map, when schemaless) of the named fields of the value (Kafka's
/// <c>ValueToKey</c>). The key schema is cached per value schema.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.ValueToKey")]
public sealed class ValueToKey<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string FieldsConfig = "fields";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";
    private const string Purpose = "copying fields from value to key";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(FieldsConfig, ConfigType.List, Importance.High, "Field names on the record value to extract as the record key.",
            required: true, validator: TransformValidators.NonEmptyList)
        .Define(ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true);

    private readonly SchemaCache _keySchemaCache = new();
    private IReadOnlyList<string> _fields = [];
    private bool _replaceNullWithDefault = true;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _fields = config.GetList(FieldsConfig);
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
    }

    public TRecord? Apply(TRecord record)
    {
        if (record.ValueSchema is null)
        {
            var map = Requirements.RequireMap(record.Value, Purpose);
            var key = new Dictionary<string, object?>(_fields.Count, StringComparer.Ordinal);
            foreach (var field in _fields)
            {
                key[field] = SchemalessMaps.Get(map, field);
            }

            return record.NewRecord(record.Topic, record.KafkaPartition, null, key, record.ValueSchema, record.Value, record.Timestamp);
        }

        var value = Requirements.RequireStruct(record.Value, Purpose);
        var keySchema = _keySchemaCache.GetOrAdd(value.Schema, BuildKeySchema);
        var keyStruct = new Struct(keySchema);
        foreach (var field in _fields)
        {
            keyStruct.Put(field, _replaceNullWithDefault ? value.Get(field) : value.GetWithoutDefault(field));
        }

        return record.NewRecord(record.Topic, record.KafkaPartition, keySchema, keyStruct, value.Schema, value, record.Timestamp);
    }

    private Schema BuildKeySchema(Schema valueSchema)
    {
        var builder = SchemaBuilder.Struct();
        foreach (var field in _fields)
        {
            var fromValue = valueSchema.Field(field) ?? throw new DataException("Field does not exist: " + field);
            builder.Field(field, fromValue.Schema);
        }

        return builder.Build();
    }
}
