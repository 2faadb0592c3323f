using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Wraps the key or value in a struct with one field of the configured name, or in a one-entry map when schemaless
/// (Kafka's <c>HoistField</c>). The wrapping schema is cached per inner schema.
/// </summary>
public abstract class HoistField<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string FieldConfig = "field";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(FieldConfig, ConfigType.String, Importance.Medium,
            "Field name for the single field that will be created in the resulting Struct or Map.", required: true);

    private readonly RecordPart _part;
    private readonly SchemaCache _schemaUpdateCache = new();
    private string _fieldName = "";

    protected HoistField(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs) =>
        _fieldName = Definition.Parse(configs).GetString(FieldConfig) ?? "";

    public TRecord? Apply(TRecord record)
    {
        var schema = _part.SchemaOf(record);
        var value = _part.ValueOf(record);
        if (schema is null)
        {
            return _part.With(record, null, new Dictionary<string, object?>(StringComparer.Ordinal) { [_fieldName] = value });
        }

        var updatedSchema = _schemaUpdateCache.GetOrAdd(schema, s => SchemaBuilder.Struct().Field(_fieldName, s).Build());
        return _part.With(record, updatedSchema, new Struct(updatedSchema).Put(_fieldName, value));
    }
}

/// <summary>Wraps the record key in a single-field struct or map (Kafka's <c>HoistField$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.HoistField$Key")]
public sealed class HoistFieldKey<TRecord>() : HoistField<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Wraps the record value in a single-field struct or map (Kafka's <c>HoistField$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.HoistField$Value")]
public sealed class HoistFieldValue<TRecord>() : HoistField<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
