using System.Collections;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Flattens nested structs (or nested maps when schemaless) into one level, naming each field by joining the names on
/// its path with a delimiter (Kafka's <c>Flatten</c>). Arrays are kept as they are; maps inside a struct schema are
/// refused. A flattened field is optional when any struct on its path was, and takes its default from the nearest
/// default on its path. Derived schemas are cached.
/// </summary>
public abstract class Flatten<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string DelimiterConfig = "delimiter";
    private const string DelimiterDefault = ".";
    private const string Purpose = "flattening";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(DelimiterConfig, ConfigType.String, Importance.Medium,
            "Delimiter to insert between field names from the input record when generating field names for the output record",
            DelimiterDefault);

    private readonly RecordPart _part;
    private readonly SchemaCache _schemaUpdateCache = new();
    private string _delimiter = DelimiterDefault;

    protected Flatten(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs) =>
        _delimiter = Definition.Parse(configs).GetString(DelimiterConfig) ?? DelimiterDefault;

    public TRecord? Apply(TRecord record)
    {
        var value = _part.ValueOf(record);
        if (value is null)
        {
            return record;
        }

        var schema = _part.SchemaOf(record);
        if (schema is null)
        {
            var flattened = new Dictionary<string, object?>(StringComparer.Ordinal);
            FlattenSchemaless(Requirements.RequireMap(value, Purpose), "", flattened);
            return _part.With(record, null, flattened);
        }

        var structValue = Requirements.RequireStruct(value, Purpose);
        var updatedSchema = _schemaUpdateCache.GetOrAdd(schema, BuildSchema);
        var updatedValue = new Struct(updatedSchema);
        FlattenStruct(structValue, "", updatedValue);
        return _part.With(record, updatedSchema, updatedValue);
    }

    private void FlattenSchemaless(IDictionary map, string prefix, Dictionary<string, object?> flattened)
    {
        foreach (DictionaryEntry entry in map)
        {
            var fieldName = FieldName(prefix, SchemalessMaps.KeyOf(entry.Key));
            if (entry.Value is null)
            {
                flattened[fieldName] = null;
                continue;
            }

            var type = JavaText.InferType(entry.Value) ??
                throw new DataException("Flatten transformation was passed a value of type " + entry.Value.GetType() + " which is not supported by Connect's data API");
            switch (type)
            {
                case SchemaType.Map:
                    FlattenSchemaless((IDictionary)entry.Value, fieldName, flattened);
                    break;
                case SchemaType.Struct:
                    throw new DataException("Flatten transformation does not support " + entry.Value.GetType() + " for record without schemas (for field " + fieldName + ").");
                default:
                    flattened[fieldName] = entry.Value;
                    break;
            }
        }
    }

    private Schema BuildSchema(Schema schema)
    {
        var builder = SchemaUtil.CopySchemaBasics(schema, SchemaBuilder.Struct());
        BuildFlattenedFields(schema, "", builder, schema.IsOptional, schema.DefaultValue as Struct);
        return builder.Build();
    }

    /// <summary>
    /// Adds the flattened fields of <paramref name="schema"/> to <paramref name="builder"/>: a field is optional when it
    /// or any ancestor is, and its default is its own or else the one the ancestors' default struct holds for it.
    /// </summary>
    private void BuildFlattenedFields(Schema schema, string prefix, SchemaBuilder builder, bool optional, Struct? defaultFromParent)
    {
        foreach (var field in schema.Fields)
        {
            var fieldName = FieldName(prefix, field.Name);
            var fieldOptional = optional || field.Schema.IsOptional;
            var fieldDefault = field.Schema.DefaultValue ?? defaultFromParent?.Get(field);
            switch (field.Schema.Type)
            {
                case SchemaType.Struct:
                    BuildFlattenedFields(field.Schema, fieldName, builder, fieldOptional, fieldDefault as Struct);
                    break;
                case SchemaType.Map:
                    throw new DataException("Flatten transformation does not support " + field.Schema.Type.Name().ToUpperInvariant() +
                                            " for record with schemas (for field " + fieldName + ").");
                default:
                    builder.Field(fieldName, ConvertFieldSchema(field.Schema, fieldOptional, fieldDefault));
                    break;
            }
        }
    }

    private static Schema ConvertFieldSchema(Schema original, bool optional, object? defaultValue)
    {
        var builder = SchemaUtil.CopySchemaBasics(original);
        if (optional)
        {
            builder.Optional();
        }

        if (defaultValue is not null)
        {
            builder.DefaultValue(defaultValue);
        }

        return builder.Build();
    }

    private void FlattenStruct(Struct? value, string prefix, Struct flattened)
    {
        if (value is null)
        {
            return;
        }

        foreach (var field in value.Schema.Fields)
        {
            var fieldName = FieldName(prefix, field.Name);
            switch (field.Schema.Type)
            {
                case SchemaType.Struct:
                    FlattenStruct((Struct?)value.Get(field), fieldName, flattened);
                    break;
                case SchemaType.Map:
                    throw new DataException("Flatten transformation does not support MAP for record with schemas (for field " + fieldName + ").");
                default:
                    flattened.Put(fieldName, value.Get(field));
                    break;
            }
        }
    }

    private string FieldName(string prefix, string fieldName) => prefix.Length == 0 ? fieldName : prefix + _delimiter + fieldName;
}

/// <summary>Flattens the record key (Kafka's <c>Flatten$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.Flatten$Key")]
public sealed class FlattenKey<TRecord>() : Flatten<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Flattens the record value (Kafka's <c>Flatten$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.Flatten$Value")]
public sealed class FlattenValue<TRecord>() : Flatten<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
