using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Adds fields from the record's metadata (topic, partition, sink offset, timestamp) or a static string to the key or
/// value (Kafka's <c>InsertField</c>). A field name ending in <c>!</c> makes the added field required, <c>?</c> (or
/// nothing) optional. Null keys or values pass through untouched; the widened schema is cached.
/// </summary>
public abstract class InsertField<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string TopicFieldConfig = "topic.field";
    public const string PartitionFieldConfig = "partition.field";
    public const string OffsetFieldConfig = "offset.field";
    public const string TimestampFieldConfig = "timestamp.field";
    public const string StaticFieldConfig = "static.field";
    public const string StaticValueConfig = "static.value";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";
    private const string Purpose = "field insertion";
    private const string OptionalityDoc = "Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(TopicFieldConfig, ConfigType.String, Importance.Medium, "Field name for Kafka topic. " + OptionalityDoc)
        .Define(PartitionFieldConfig, ConfigType.String, Importance.Medium, "Field name for Kafka partition. " + OptionalityDoc)
        .Define(OffsetFieldConfig, ConfigType.String, Importance.Medium, "Field name for Kafka offset - only applicable to sink connectors.<br/>" + OptionalityDoc)
        .Define(TimestampFieldConfig, ConfigType.String, Importance.Medium, "Field name for record timestamp. " + OptionalityDoc)
        .Define(StaticFieldConfig, ConfigType.String, Importance.Medium, "Field name for static data field. " + OptionalityDoc)
        .Define(StaticValueConfig, ConfigType.String, Importance.Medium, "Static field value, if field name configured.")
        .Define(ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true);

    private static readonly Schema OptionalTimestampSchema = LogicalTypes.Timestamp().Optional().Build();

    private readonly RecordPart _part;
    private readonly SchemaCache _schemaUpdateCache = new();
    private InsertionSpec? _topicField;
    private InsertionSpec? _partitionField;
    private InsertionSpec? _offsetField;
    private InsertionSpec? _timestampField;
    private InsertionSpec? _staticField;
    private string? _staticValue;
    private bool _replaceNullWithDefault = true;

    protected InsertField(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _topicField = InsertionSpec.Parse(config.GetString(TopicFieldConfig));
        _partitionField = InsertionSpec.Parse(config.GetString(PartitionFieldConfig));
        _offsetField = InsertionSpec.Parse(config.GetString(OffsetFieldConfig));
        _timestampField = InsertionSpec.Parse(config.GetString(TimestampFieldConfig));
        _staticField = InsertionSpec.Parse(config.GetString(StaticFieldConfig));
        _staticValue = config.GetString(StaticValueConfig);
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
        if (_topicField is null && _partitionField is null && _offsetField is null && _timestampField is null && _staticField is null)
        {
            throw new ConfigException("No field insertion configured");
        }

        if (_staticField is not null && _staticValue is null)
        {
            throw new ConfigException(StaticValueConfig, null, "No value specified for static field: " + _staticField.Name);
        }
    }

    public TRecord? Apply(TRecord record)
    {
        var value = _part.ValueOf(record);
        if (value is null)
        {
            return record;
        }

        var schema = _part.SchemaOf(record);
        return schema is null ? ApplySchemaless(record, value) : ApplyWithSchema(record, value);
    }

    private TRecord ApplySchemaless(TRecord record, object value)
    {
        var updated = SchemalessMaps.Copy(Requirements.RequireMap(value, Purpose));
        if (_topicField is not null)
        {
            updated[_topicField.Name] = record.Topic;
        }

        if (_partitionField is not null && record.KafkaPartition is { } partition)
        {
            updated[_partitionField.Name] = partition;
        }

        if (_offsetField is not null)
        {
            updated[_offsetField.Name] = Requirements.RequireSinkRecord(record, Purpose).KafkaOffset;
        }

        if (_timestampField is not null && record.Timestamp is { } timestamp)
        {
            updated[_timestampField.Name] = timestamp;
        }

        if (_staticField is not null && _staticValue is not null)
        {
            updated[_staticField.Name] = _staticValue;
        }

        return _part.With(record, null, updated);
    }

    private TRecord ApplyWithSchema(TRecord record, object value)
    {
        var structValue = Requirements.RequireStruct(value, Purpose);
        var updatedSchema = _schemaUpdateCache.GetOrAdd(structValue.Schema, BuildSchema);
        var updated = new Struct(updatedSchema);
        foreach (var field in structValue.Schema.Fields)
        {
            updated.Put(field.Name, _replaceNullWithDefault ? structValue.Get(field) : structValue.GetWithoutDefault(field.Name));
        }

        if (_topicField is not null)
        {
            updated.Put(_topicField.Name, record.Topic);
        }

        if (_partitionField is not null && record.KafkaPartition is { } partition)
        {
            updated.Put(_partitionField.Name, partition);
        }

        if (_offsetField is not null)
        {
            updated.Put(_offsetField.Name, Requirements.RequireSinkRecord(record, Purpose).KafkaOffset);
        }

        if (_timestampField is not null && record.Timestamp is { } timestamp)
        {
            updated.Put(_timestampField.Name, LogicalTypes.ToTimestamp(timestamp));
        }

        if (_staticField is not null && _staticValue is not null)
        {
            updated.Put(_staticField.Name, _staticValue);
        }

        return _part.With(record, updatedSchema, updated);
    }

    private Schema BuildSchema(Schema schema)
    {
        var builder = SchemaUtil.CopySchemaBasics(schema, SchemaBuilder.Struct());
        foreach (var field in schema.Fields)
        {
            builder.Field(field.Name, field.Schema);
        }

        AddField(builder, _topicField, Schema.OptionalString, Schema.String);
        AddField(builder, _partitionField, Schema.OptionalInt32, Schema.Int32);
        AddField(builder, _offsetField, Schema.OptionalInt64, Schema.Int64);
        AddField(builder, _timestampField, OptionalTimestampSchema, LogicalTypes.TimestampSchema);
        AddField(builder, _staticField, Schema.OptionalString, Schema.String);
        return builder.Build();
    }

    private static void AddField(SchemaBuilder builder, InsertionSpec? spec, Schema optional, Schema required)
    {
        if (spec is not null)
        {
            builder.Field(spec.Name, spec.Optional ? optional : required);
        }
    }

    /// <summary>A field to insert: its name, and whether it is optional (a trailing <c>?</c> or nothing) or required (<c>!</c>).</summary>
    private sealed record InsertionSpec(string Name, bool Optional)
    {
        public static InsertionSpec? Parse(string? spec) => spec switch
        {
            null => null,
            _ when spec.EndsWith('?') => new InsertionSpec(spec[..^1], true),
            _ when spec.EndsWith('!') => new InsertionSpec(spec[..^1], false),
            _ => new InsertionSpec(spec, true),
        };
    }
}

/// <summary>Inserts metadata or static fields into the record key (Kafka's <c>InsertField$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.InsertField$Key")]
public sealed class InsertFieldKey<TRecord>() : InsertField<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Inserts metadata or static fields into the record value (Kafka's <c>InsertField$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.InsertField$Value")]
public sealed class InsertFieldValue<TRecord>() : InsertField<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
