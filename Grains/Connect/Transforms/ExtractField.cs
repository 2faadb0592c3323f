using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Replaces the key or value with one of its fields (Kafka's <c>ExtractField</c>): a struct field with that field's
/// schema, or a map entry when schemaless. With <c>field.syntax.version=V2</c> the field may be a dotted path into
/// nested structs or maps. A null key or value passes through (with the field's schema when there is one).
/// </summary>
public abstract class ExtractField<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string FieldConfig = "field";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";
    private const string Purpose = "field extraction";

    public static readonly ConfigDef Definition = FieldSyntax.AppendConfigTo(new ConfigDef()
        .Define(FieldConfig, ConfigType.String, Importance.Medium, "Field name to extract.", required: true)
        .Define(
            ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true));

    private readonly RecordPart _part;
    private SingleFieldPath _fieldPath = new("", FieldSyntaxVersion.V1);
    private string _originalPath = "";
    private bool _replaceNullWithDefault = true;

    protected ExtractField(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _originalPath = config.GetString(FieldConfig) ?? "";
        _fieldPath = new SingleFieldPath(_originalPath, FieldSyntax.FromConfig(config));
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
    }

    public TRecord? Apply(TRecord record)
    {
        var schema = _part.SchemaOf(record);
        if (schema is null)
        {
            var map = Requirements.RequireMapOrNull(_part.ValueOf(record), Purpose);
            return _part.With(record, null, map is null ? null : _fieldPath.ValueFrom(map));
        }

        var value = Requirements.RequireStructOrNull(_part.ValueOf(record), Purpose);

        // Kafka throws IllegalArgumentException here; a DataException says the same and is what Connect reports for bad data.
        var field = _fieldPath.FieldFrom(schema) ?? throw new DataException("Unknown field: " + _originalPath);
        return _part.With(record, field.Schema, value is null ? null : _fieldPath.ValueFrom(value, _replaceNullWithDefault));
    }
}

/// <summary>Replaces the record key with one of its fields (Kafka's <c>ExtractField$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.ExtractField$Key")]
public sealed class ExtractFieldKey<TRecord>() : ExtractField<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Replaces the record value with one of its fields (Kafka's <c>ExtractField$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.ExtractField$Value")]
public sealed class ExtractFieldValue<TRecord>() : ExtractField<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
