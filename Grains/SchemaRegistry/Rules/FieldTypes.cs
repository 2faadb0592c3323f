using System.Text.Json.Nodes;
using Avro;
using Tributary.Grains.SchemaRegistry.Avro;
using Tributary.Grains.SchemaRegistry.Json;
using AvroSchema = Avro.Schema;

namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>
/// The type a field rule's <c>typeName</c> names, from the schema as Confluent's executors take it (a nullable
/// union's other branch, an array's or map's items; Avro INT, LONG, FLOAT, DOUBLE, ENUM, FIXED, ...; JSON Schema INT
/// for integers, DOUBLE for numbers, ENUM for enums and consts), by field name. A name the schema gives different
/// types, or a union of several, is left out: the value then says its type.
/// </summary>
public static class FieldTypes
{
    /// <summary>A field name to its leaf type, for the names whose type the schema settles.</summary>
    public static IReadOnlyDictionary<string, string> Of(ParsedSchema schema)
    {
        var types = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (schema)
        {
            case AvroParsedSchema avro:
                foreach (var (_, field) in SchemaFields.OfAvro(avro.Schema))
                {
                    Note(types, field.Name, AvroLeaf(field.Schema));
                }

                break;
            case JsonParsedSchema:
                foreach (var (_, name, property) in SchemaFields.OfJson(InlineTags.Parse(schema.Text)))
                {
                    Note(types, name, JsonLeaf(property, 0));
                }

                break;
        }

        return types.Where(t => t.Value is not null).ToDictionary(t => t.Key, t => t.Value!, StringComparer.Ordinal);
    }

    /// <summary>The type of the values a field rule meets under a field of this schema; null when the value must say.</summary>
    private static string? AvroLeaf(AvroSchema schema) => schema switch
    {
        UnionSchema union when union.Schemas.Count(s => s.Tag != AvroSchema.Type.Null) == 1 => AvroLeaf(union.Schemas.First(s => s.Tag != AvroSchema.Type.Null)),
        UnionSchema => null,
        LogicalSchema logical => AvroLeaf(logical.BaseSchema),
        ArraySchema array => AvroLeaf(array.ItemSchema),
        MapSchema map => AvroLeaf(map.ValueSchema),
        _ => schema.Tag switch
        {
            AvroSchema.Type.Record or AvroSchema.Type.Error => "RECORD",
            AvroSchema.Type.Enumeration => "ENUM",
            AvroSchema.Type.Fixed => "FIXED",
            AvroSchema.Type.String => "STRING",
            AvroSchema.Type.Bytes => "BYTES",
            AvroSchema.Type.Int => "INT",
            AvroSchema.Type.Long => "LONG",
            AvroSchema.Type.Float => "FLOAT",
            AvroSchema.Type.Double => "DOUBLE",
            AvroSchema.Type.Boolean => "BOOLEAN",
            _ => "NULL",
        },
    };

    private static string? JsonLeaf(JsonNode? node, int depth)
    {
        if (node is not JsonObject schema || depth > 16 || schema.ContainsKey("$ref"))
        {
            return null;
        }

        if (schema.ContainsKey("enum") || schema.ContainsKey("const"))
        {
            return "ENUM";
        }

        var type = schema["type"] switch
        {
            JsonValue single when single.TryGetValue<string>(out var named) => named,
            JsonArray several when several.OfType<JsonValue>().Select(t => t.TryGetValue<string>(out var named) ? named : null).Where(t => t != "null").ToList() is [var only] => only,
            _ => null,
        };
        return type switch
        {
            "string" => "STRING",
            "integer" => "INT",
            "number" => "DOUBLE",
            "boolean" => "BOOLEAN",
            "object" => "RECORD",
            "array" => JsonLeaf(schema["items"], depth + 1),
            _ => null,
        };
    }

    /// <summary>Records a name's type; a name seen with another type is settled by its values instead.</summary>
    private static void Note(Dictionary<string, string?> types, string name, string? type)
    {
        if (types.TryGetValue(name, out var known) && known != type)
        {
            types[name] = null;
        }
        else if (!types.ContainsKey(name))
        {
            types[name] = type;
        }
    }
}
