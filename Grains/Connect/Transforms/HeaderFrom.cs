using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Copies or moves fields of the key or value into headers (Kafka's <c>HeaderFrom</c>): the i-th name in
/// <c>fields</c> goes to the i-th name in <c>headers</c>, with the field's schema when the record has one. Moving
/// removes the fields; the schema without them is cached.
/// </summary>
public abstract class HeaderFrom<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string FieldsConfig = "fields";
    public const string HeadersConfig = "headers";
    public const string OperationConfig = "operation";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";
    private const string MoveOperation = "move";
    private const string CopyOperation = "copy";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(FieldsConfig, ConfigType.List, Importance.High,
            "Field names in the record whose values are to be copied or moved to headers.",
            required: true, validator: TransformValidators.NonEmptyList)
        .Define(HeadersConfig, ConfigType.List, Importance.High,
            "Header names, in the same order as the field names listed in the fields configuration property.",
            required: true, validator: TransformValidators.NonEmptyList)
        .Define(OperationConfig, ConfigType.String, Importance.High,
            "Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), " +
            "or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).",
            required: true, validator: Validators.In(MoveOperation, CopyOperation))
        .Define(ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true);

    private readonly RecordPart _part;
    private readonly SchemaCache _moveSchemaCache = new();
    private IReadOnlyList<string> _fields = [];
    private IReadOnlyList<string> _headers = [];
    private bool _move;
    private bool _replaceNullWithDefault = true;

    protected HeaderFrom(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    private string Purpose => "header " + (_move ? MoveOperation : CopyOperation);

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _fields = config.GetList(FieldsConfig);
        _headers = config.GetList(HeadersConfig);
        if (_fields.Count != _headers.Count)
        {
            throw new ConfigException($"'{FieldsConfig}' config must have the same number of elements as '{HeadersConfig}' config.");
        }

        _move = config.GetString(OperationConfig) == MoveOperation;
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
    }

    public TRecord? Apply(TRecord record)
    {
        var schema = _part.SchemaOf(record);
        var value = _part.ValueOf(record);
        return schema is null ? ApplySchemaless(record, value) : ApplyWithSchema(record, schema, value);
    }

    private TRecord ApplyWithSchema(TRecord record, Schema schema, object? value)
    {
        var headers = record.Headers.Duplicate();
        var structValue = Requirements.RequireStruct(value, Purpose);
        Schema updatedSchema;
        Struct updatedValue;
        if (_move)
        {
            updatedSchema = _moveSchemaCache.GetOrAdd(schema, BuildMoveSchema);
            updatedValue = new Struct(updatedSchema);
            foreach (var field in updatedSchema.Fields)
            {
                updatedValue.Put(field, FieldValue(structValue, field.Name));
            }
        }
        else
        {
            updatedSchema = schema;
            updatedValue = structValue;
        }

        for (var i = 0; i < _fields.Count; i++)
        {
            var fieldName = _fields[i];

            // Kafka fails with a NullPointerException on a field the schema lacks; a DataException names it instead.
            var fieldSchema = schema.Field(fieldName)?.Schema ??
                throw new DataException($"Field '{fieldName}' does not exist in the schema and cannot be {(_move ? "moved" : "copied")} to a header");
            var fieldValue = structValue.Schema.Field(fieldName) is not null ? FieldValue(structValue, fieldName) : null;
            headers.Add(_headers[i], fieldValue, fieldSchema);
        }

        return _part.With(record, updatedSchema, updatedValue, headers);
    }

    private Schema BuildMoveSchema(Schema schema)
    {
        var builder = SchemaUtil.CopySchemaBasics(schema, SchemaBuilder.Struct());
        foreach (var field in schema.Fields)
        {
            if (!_fields.Contains(field.Name))
            {
                builder.Field(field.Name, field.Schema);
            }
        }

        return builder.Build();
    }

    private TRecord ApplySchemaless(TRecord record, object? value)
    {
        var headers = record.Headers.Duplicate();
        var map = Requirements.RequireMap(value, Purpose);
        var updatedValue = SchemalessMaps.Copy(map);
        for (var i = 0; i < _fields.Count; i++)
        {
            var fieldValue = SchemalessMaps.Get(map, _fields[i]);
            if (_move)
            {
                updatedValue.Remove(_fields[i]);
            }

            headers.Add(new ConnectHeader(_headers[i], null, fieldValue));
        }

        return _part.With(record, null, updatedValue, headers);
    }

    private object? FieldValue(Struct value, string fieldName) =>
        _replaceNullWithDefault ? value.Get(fieldName) : value.GetWithoutDefault(fieldName);
}

/// <summary>Copies or moves fields of the record key into headers (Kafka's <c>HeaderFrom$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.HeaderFrom$Key")]
public sealed class HeaderFromKey<TRecord>() : HeaderFrom<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Copies or moves fields of the record value into headers (Kafka's <c>HeaderFrom$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.HeaderFrom$Value")]
public sealed class HeaderFromValue<TRecord>() : HeaderFrom<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
