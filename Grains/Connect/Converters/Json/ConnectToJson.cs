using System.Collections;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Caching;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// Writes Connect schemas and values as Kafka's JsonConverter does (its <c>asJsonSchema</c> and
/// <c>convertToJson</c>): a schema object lists <c>type</c>, then <c>items</c> / <c>keys</c>, <c>values</c> /
/// <c>fields</c>, then <c>optional</c>, <c>name</c>, <c>version</c>, <c>doc</c>, <c>parameters</c>, <c>default</c>;
/// a struct field's entry is its schema with <c>field</c> last. Maps with string keys become objects, other maps
/// arrays of <c>[key, value]</c> pairs. Schemas are cached as their encoded bytes.
/// </summary>
internal sealed class ConnectToJson(JsonConverterConfig config)
{
    private readonly LruCache<Schema, byte[]> _schemaCache = new(config.SchemaCacheSize);

    public int CachedSchemas => _schemaCache.Count;

    /// <summary>The encoded schema object of <paramref name="schema"/>.</summary>
    public byte[] SchemaJson(Schema schema)
    {
        if (_schemaCache.TryGet(schema, out var cached))
        {
            return cached;
        }

        var writer = new JacksonJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName(JsonSchemaFields.Type);
        writer.WriteString(TypeName(schema.Type));
        switch (schema.Type)
        {
            case SchemaType.Array:
                writer.WritePropertyName(JsonSchemaFields.ArrayItems);
                WriteSchemaOrNull(writer, schema.ValueSchema);
                break;
            case SchemaType.Map:
                writer.WritePropertyName(JsonSchemaFields.MapKeys);
                WriteSchemaOrNull(writer, schema.KeySchema);
                writer.WritePropertyName(JsonSchemaFields.MapValues);
                WriteSchemaOrNull(writer, schema.ValueSchema);
                break;
            case SchemaType.Struct:
                writer.WritePropertyName(JsonSchemaFields.StructFields);
                writer.WriteStartArray();
                foreach (var field in schema.Fields)
                {
                    writer.WriteRawValue(FieldEntry(field));
                }

                writer.WriteEndArray();
                break;
        }

        writer.WritePropertyName(JsonSchemaFields.Optional);
        writer.WriteBoolean(schema.IsOptional);
        if (schema.Name is not null)
        {
            writer.WritePropertyName(JsonSchemaFields.Name);
            writer.WriteString(schema.Name);
        }

        if (schema.Version is { } version)
        {
            writer.WritePropertyName(JsonSchemaFields.Version);
            writer.WriteNumber(version);
        }

        if (schema.Doc is not null)
        {
            writer.WritePropertyName(JsonSchemaFields.Doc);
            writer.WriteString(schema.Doc);
        }

        if (schema.Parameters is not null)
        {
            writer.WritePropertyName(JsonSchemaFields.Parameters);
            writer.WriteStartObject();
            foreach (var (key, value) in schema.Parameters)
            {
                writer.WritePropertyName(key);
                writer.WriteString(value);
            }

            writer.WriteEndObject();
        }

        if (schema.DefaultValue is not null)
        {
            writer.WritePropertyName(JsonSchemaFields.Default);
            WriteValue(writer, schema, schema.DefaultValue);
        }

        writer.WriteEndObject();
        var json = writer.ToArray();
        _schemaCache.Put(schema, json);
        return json;
    }

    /// <summary>Writes <paramref name="value"/> under <paramref name="schema"/>, or inferring the type when the schema is null.</summary>
    public void WriteValue(JacksonJsonWriter writer, Schema? schema, object? value)
    {
        if (value is null)
        {
            WriteNull(writer, schema);
            return;
        }

        if (schema?.Name is { } name && JsonLogicalTypes.IsLogical(name))
        {
            JsonLogicalTypes.Write(writer, schema, value, config.DecimalFormat);
            return;
        }

        var type = schema?.Type ?? InferType(value)
            ?? throw new DataException($"Java class {value.GetType()} does not have corresponding schema type.");
        try
        {
            WriteTyped(writer, schema, type, value);
        }
        catch (InvalidCastException)
        {
            throw new DataException($"Invalid type for {(schema is null ? "unknown schema" : schema.Type.Name().ToUpperInvariant())}: {value.GetType()}");
        }
    }

    private void WriteNull(JacksonJsonWriter writer, Schema? schema)
    {
        if (schema is null)
        {
            writer.WriteNull();
        }
        else if (schema.DefaultValue is not null && config.ReplaceNullWithDefault)
        {
            WriteValue(writer, schema, schema.DefaultValue);
        }
        else if (schema.IsOptional)
        {
            writer.WriteNull();
        }
        else
        {
            throw new DataException("Conversion error: null value for field that is required and has no default value");
        }
    }

    private void WriteTyped(JacksonJsonWriter writer, Schema? schema, SchemaType type, object value)
    {
        switch (type)
        {
            case SchemaType.Int8:
                writer.WriteNumber((sbyte)value);
                break;
            case SchemaType.Int16:
                writer.WriteNumber((short)value);
                break;
            case SchemaType.Int32:
                writer.WriteNumber((int)value);
                break;
            case SchemaType.Int64:
                writer.WriteNumber((long)value);
                break;
            case SchemaType.Float32:
                writer.WriteNumber((float)value);
                break;
            case SchemaType.Float64:
                writer.WriteNumber((double)value);
                break;
            case SchemaType.Boolean:
                writer.WriteBoolean((bool)value);
                break;
            case SchemaType.String:
                writer.WriteString((string)value);
                break;
            case SchemaType.Bytes:
                writer.WriteBase64(value as byte[] ?? throw new DataException("Invalid type for bytes type: " + value.GetType()));
                break;
            case SchemaType.Array:
                writer.WriteStartArray();
                foreach (var item in (IList)value)
                {
                    WriteValue(writer, schema?.ValueSchema, item);
                }

                writer.WriteEndArray();
                break;
            case SchemaType.Map:
                WriteMap(writer, schema, (IDictionary)value);
                break;
            case SchemaType.Struct:
                WriteStruct(writer, schema, (Struct)value);
                break;
        }
    }

    private void WriteMap(JacksonJsonWriter writer, Schema? schema, IDictionary map)
    {
        var objectMode = schema is null
            ? map.Keys.Cast<object?>().All(k => k is string)
            : schema.KeySchema?.Type == SchemaType.String;
        if (objectMode)
        {
            writer.WriteStartObject();
            foreach (DictionaryEntry entry in map)
            {
                writer.WritePropertyName(KeyText(schema?.KeySchema, entry.Key));
                WriteValue(writer, schema?.ValueSchema, entry.Value);
            }

            writer.WriteEndObject();
            return;
        }

        writer.WriteStartArray();
        foreach (DictionaryEntry entry in map)
        {
            writer.WriteStartArray();
            WriteValue(writer, schema?.KeySchema, entry.Key);
            WriteValue(writer, schema?.ValueSchema, entry.Value);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    /// <summary>A string key as an object member name; a null key follows the key schema's null rules and reads "null", as Jackson's text of a null node.</summary>
    private static string KeyText(Schema? keySchema, object? key) => key switch
    {
        string text => text,
        null when keySchema is null || keySchema.IsOptional => "null",
        null when keySchema.DefaultValue is string fallback => fallback,
        null => throw new DataException("Conversion error: null value for field that is required and has no default value"),
        _ => throw new DataException($"Invalid type for STRING: {key.GetType()}"),
    };

    private void WriteStruct(JacksonJsonWriter writer, Schema? schema, Struct value)
    {
        if (schema is null || !value.Schema.Equals(schema))
        {
            throw new DataException("Mismatching schema.");
        }

        writer.WriteStartObject();
        // The schemas are equal, so their fields are at the same positions: no lookup by name, no enumerator per struct.
        var fields = schema.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            writer.WritePropertyName(field.Name);
            WriteValue(writer, field.Schema, value.GetWithoutDefault(field));
        }

        writer.WriteEndObject();
    }

    private void WriteSchemaOrNull(JacksonJsonWriter writer, Schema? schema)
    {
        if (schema is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteRawValue(SchemaJson(schema));
        }
    }

    /// <summary>The field's schema object with <c>"field":name</c> appended, as Kafka adds it to a copy of the cached schema.</summary>
    private byte[] FieldEntry(Field field)
    {
        var schemaJson = SchemaJson(field.Schema);
        var name = JacksonJsonWriter.Quoted(field.Name);
        var prefix = ",\"field\":"u8;
        var entry = new byte[schemaJson.Length - 1 + prefix.Length + name.Length + 1];
        schemaJson.AsSpan(0, schemaJson.Length - 1).CopyTo(entry);
        prefix.CopyTo(entry.AsSpan(schemaJson.Length - 1));
        name.CopyTo(entry.AsSpan(schemaJson.Length - 1 + prefix.Length));
        entry[^1] = (byte)'}';
        return entry;
    }

    private static string TypeName(SchemaType type) => type switch
    {
        SchemaType.Float32 => JsonSchemaFields.Float,
        SchemaType.Float64 => JsonSchemaFields.Double,
        _ => type.Name(),
    };

    /// <summary>The schema type a schemaless value takes (Kafka's <c>ConnectSchema.schemaType(Class)</c>); null for others.</summary>
    private static SchemaType? InferType(object value) => value switch
    {
        sbyte => SchemaType.Int8,
        short => SchemaType.Int16,
        int => SchemaType.Int32,
        long => SchemaType.Int64,
        float => SchemaType.Float32,
        double => SchemaType.Float64,
        bool => SchemaType.Boolean,
        string => SchemaType.String,
        byte[] => SchemaType.Bytes,
        IDictionary => SchemaType.Map,
        IList => SchemaType.Array,
        Struct => SchemaType.Struct,
        _ => null,
    };
}
