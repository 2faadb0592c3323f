using System.Text.Json;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Caching;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// Reads JSON schemas and values back into Connect's (Kafka's <c>asConnectSchema</c> and <c>convertToConnect</c>).
/// Without a schema a value is inferred: integral numbers are int64, other numbers float64, objects maps of string
/// keys, arrays lists. A null or missing value takes the schema's default (when <c>replace.null.with.default</c>),
/// else null if the schema is optional, else fails. Translated schemas are cached by their JSON text.
/// </summary>
internal sealed class JsonToConnect(JsonConverterConfig config)
{
    private readonly LruCache<string, Schema> _schemaCache = new(config.SchemaCacheSize);

    // The bytes and schema together in one object, so that a converter shared by threads never pairs one with another's.
    private LastSchema? _last;

    public int CachedSchemas => _schemaCache.Count;

    /// <summary>The last envelope schema read, with its bytes and its payloads' struct reader, or null.</summary>
    public LastSchema? Last => _last;

    /// <summary>
    /// The schema of an envelope's schema object, given as its bytes. A topic's records nearly always carry the same
    /// schema, so the last one is kept with its bytes and a record whose schema has the same bytes takes it without a
    /// parse (only while <c>schemas.cache.size</c> allows a cache at all).
    /// </summary>
    public Schema? AsConnectSchema(ReadOnlyMemory<byte> json)
    {
        if (_last is { } last && json.Span.SequenceEqual(last.Bytes))
        {
            return last.Schema;
        }

        using var document = JacksonJsonReader.ParseValid(json);
        var schema = AsConnectSchema(document.RootElement);
        if (config.SchemaCacheSize > 0)
        {
            _last = new LastSchema(json.ToArray(), schema, JsonStructReader.For(schema, config));
        }

        return schema;
    }

    public Schema? AsConnectSchema(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var key = json.GetRawText();
        if (_schemaCache.TryGet(key, out var cached))
        {
            return cached;
        }

        var builder = Builder(json);
        if (Member(json, JsonSchemaFields.Optional) is { ValueKind: JsonValueKind.True })
        {
            builder.Optional();
        }
        else
        {
            builder.Required();
        }

        if (Member(json, JsonSchemaFields.Name) is { ValueKind: JsonValueKind.String } name)
        {
            builder.WithName(name.GetString());
        }

        if (Member(json, JsonSchemaFields.Version) is { } version && JsonNumbers.IsIntegral(version))
        {
            builder.WithVersion(JsonNumbers.Int32(version));
        }

        if (Member(json, JsonSchemaFields.Doc) is { ValueKind: JsonValueKind.String } doc)
        {
            builder.WithDoc(doc.GetString());
        }

        if (Member(json, JsonSchemaFields.Parameters) is { ValueKind: JsonValueKind.Object } parameters)
        {
            foreach (var parameter in parameters.EnumerateObject())
            {
                if (parameter.Value.ValueKind != JsonValueKind.String)
                {
                    throw new DataException("Schema parameters must have string values.");
                }

                builder.Parameter(parameter.Name, parameter.Value.GetString()!);
            }
        }

        if (Member(json, JsonSchemaFields.Default) is { } defaultValue)
        {
            // Kafka converts the default against the schema as built so far, before the default itself is set.
            builder.DefaultValue(ToConnect(builder.Build(), defaultValue));
        }

        var schema = builder.Build();
        _schemaCache.Put(key, schema);
        return schema;
    }

    /// <summary>The Connect value of <paramref name="json"/> (null when missing) under <paramref name="schema"/>.</summary>
    public object? ToConnect(Schema? schema, JsonElement? json)
    {
        SchemaType type;
        if (schema is not null)
        {
            type = schema.Type;
            if (json is null || json.Value.ValueKind == JsonValueKind.Null)
            {
                if (schema.DefaultValue is not null && config.ReplaceNullWithDefault)
                {
                    return schema.DefaultValue;
                }

                return schema.IsOptional
                    ? null
                    : throw new DataException($"Invalid null value for required {type.Name().ToUpperInvariant()} field");
            }

            if (schema.Name is { } name && JsonLogicalTypes.IsLogical(name))
            {
                return JsonLogicalTypes.Read(schema, json.Value);
            }
        }
        else
        {
            if (json is null)
            {
                return null;
            }

            switch (json.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    return null;
                case JsonValueKind.True or JsonValueKind.False:
                    type = SchemaType.Boolean;
                    break;
                case JsonValueKind.Number:
                    type = JsonNumbers.IsIntegral(json.Value) ? SchemaType.Int64 : SchemaType.Float64;
                    break;
                case JsonValueKind.Array:
                    type = SchemaType.Array;
                    break;
                case JsonValueKind.Object:
                    type = SchemaType.Map;
                    break;
                default:
                    type = SchemaType.String;
                    break;
            }
        }

        return Convert(schema, type, json.Value);
    }

    private object Convert(Schema? schema, SchemaType type, JsonElement json) => type switch
    {
        SchemaType.Boolean => json.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Mismatch(type, json),
        },
        SchemaType.Int8 => unchecked((sbyte)JsonNumbers.Int32(Number(type, json))),
        SchemaType.Int16 => unchecked((short)JsonNumbers.Int32(Number(type, json))),
        SchemaType.Int32 => JsonNumbers.Int32(Number(type, json)),
        SchemaType.Int64 => JsonNumbers.Int64(Number(type, json)),
        SchemaType.Float32 => json.ValueKind == JsonValueKind.String ? (float)NonFinite(type, json) : JsonNumbers.Float(Number(type, json)),
        SchemaType.Float64 => json.ValueKind == JsonValueKind.String ? NonFinite(type, json) : JsonNumbers.Double(Number(type, json)),
        SchemaType.String => json.ValueKind == JsonValueKind.String ? json.GetString()! : throw Mismatch(type, json),
        SchemaType.Bytes => ReadBytes(json),
        SchemaType.Array => ReadArray(schema, json),
        SchemaType.Map => ReadMap(schema, json),
        _ => ReadStruct(schema!, json),
    };

    /// <summary>
    /// NaN and the infinities, which Jackson writes as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
    /// Kafka reads those back as 0; reading them as what was written is the only way a round trip keeps them.
    /// </summary>
    private static double NonFinite(SchemaType type, JsonElement json) => json.GetString() switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => throw Mismatch(type, json),
    };

    private static byte[] ReadBytes(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            throw Mismatch(SchemaType.Bytes, json);
        }

        try
        {
            return json.GetBytesFromBase64();
        }
        catch (FormatException e)
        {
            throw new DataException("Invalid bytes field", e);
        }
    }

    private List<object?> ReadArray(Schema? schema, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw Mismatch(SchemaType.Array, json);
        }

        var result = new List<object?>(json.GetArrayLength());
        foreach (var item in json.EnumerateArray())
        {
            result.Add(ToConnect(schema?.ValueSchema, item));
        }

        return result;
    }

    /// <summary>String-keyed maps (and every schemaless object) are JSON objects; other maps arrays of [key, value] pairs.</summary>
    private Dictionary<object, object?> ReadMap(Schema? schema, JsonElement json)
    {
        var result = new Dictionary<object, object?>();
        if (schema is null || schema.KeySchema?.Type == SchemaType.String)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                throw new DataException("Maps with string fields should be encoded as JSON objects, but found " + JsonNumbers.NodeType(json));
            }

            foreach (var member in json.EnumerateObject())
            {
                result[member.Name] = ToConnect(schema?.ValueSchema, member.Value);
            }

            return result;
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            throw new DataException("Maps with non-string fields should be encoded as JSON array of tuples, but found " + JsonNumbers.NodeType(json));
        }

        foreach (var entry in json.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array)
            {
                throw new DataException("Found invalid map entry instead of array tuple: " + JsonNumbers.NodeType(entry));
            }

            if (entry.GetArrayLength() != 2)
            {
                throw new DataException("Found invalid map entry, expected length 2 but found :" + entry.GetArrayLength());
            }

            var key = ToConnect(schema.KeySchema, entry[0]) ?? throw new DataException("Map keys may not be null in this runtime");
            result[key] = ToConnect(schema.ValueSchema, entry[1]);
        }

        return result;
    }

    private Struct ReadStruct(Schema schema, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new DataException("Structs should be encoded as JSON objects, but found " + JsonNumbers.NodeType(json));
        }

        var result = new Struct(schema);
        foreach (var field in schema.Fields)
        {
            result.Put(field, ToConnect(field.Schema, Member(json, field.Name)));
        }

        return result;
    }

    private SchemaBuilder Builder(JsonElement json)
    {
        if (Member(json, JsonSchemaFields.Type) is not { ValueKind: JsonValueKind.String } typeNode)
        {
            throw new DataException("Schema must contain 'type' field");
        }

        var typeName = typeNode.GetString()!;
        switch (typeName)
        {
            case "boolean": return SchemaBuilder.Bool();
            case "int8": return SchemaBuilder.Int8();
            case "int16": return SchemaBuilder.Int16();
            case "int32": return SchemaBuilder.Int32();
            case "int64": return SchemaBuilder.Int64();
            case JsonSchemaFields.Float: return SchemaBuilder.Float32();
            case JsonSchemaFields.Double: return SchemaBuilder.Float64();
            case "bytes": return SchemaBuilder.Bytes();
            case "string": return SchemaBuilder.String();
            case "array":
                if (Member(json, JsonSchemaFields.ArrayItems) is not { ValueKind: not JsonValueKind.Null } items)
                {
                    throw new DataException("Array schema did not specify the element type");
                }

                return SchemaBuilder.Array(AsConnectSchema(items)!);
            case "map":
                var keys = Member(json, JsonSchemaFields.MapKeys) ?? throw new DataException("Map schema did not specify the key type");
                var values = Member(json, JsonSchemaFields.MapValues) ?? throw new DataException("Map schema did not specify the value type");
                return SchemaBuilder.Map(AsConnectSchema(keys)!, AsConnectSchema(values)!);
            case "struct":
                var builder = SchemaBuilder.Struct();
                if (Member(json, JsonSchemaFields.StructFields) is not { ValueKind: JsonValueKind.Array } fields)
                {
                    throw new DataException("Struct schema's \"fields\" argument is not an array.");
                }

                foreach (var field in fields.EnumerateArray())
                {
                    if (Member(field, JsonSchemaFields.StructFieldName) is not { ValueKind: JsonValueKind.String } fieldName)
                    {
                        throw new DataException("Struct schema's field name not specified properly");
                    }

                    builder.Field(fieldName.GetString()!, AsConnectSchema(field)!);
                }

                return builder;
            default:
                throw new DataException("Unknown schema type: " + typeName);
        }
    }

    /// <summary>The member of that name, the last one if repeated (as Jackson keeps it); null when absent or not an object.</summary>
    private static JsonElement? Member(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement Number(SchemaType type, JsonElement json) =>
        json.ValueKind == JsonValueKind.Number ? json : throw Mismatch(type, json);

    /// <summary>
    /// Kafka silently reads a JSON value of the wrong kind as 0, false or null (Jackson's defaults); a clear error is
    /// safer than corrupt data, so this is the one place the converter is stricter.
    /// </summary>
    private static DataException Mismatch(SchemaType type, JsonElement json) =>
        new($"Invalid JSON {JsonNumbers.NodeType(json)} for schema type {type.Name().ToUpperInvariant()}");

    /// <param name="Reader">reads payloads of this schema straight into structs, when its fields are all flat</param>
    internal sealed record LastSchema(byte[] Bytes, Schema? Schema, JsonStructReader? Reader);
}
