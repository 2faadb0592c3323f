using System.Text.Json.Nodes;
using Avro;
using AvroSchema = Avro.Schema;

namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>The fields a schema declares, wherever they are nested, for what field rules read of them (their tags, their types).</summary>
internal static class SchemaFields
{
    private const int MaxDepth = 64;

    /// <summary>Each Avro record's fields (a record named again, as by recursion, once), with the record's full name.</summary>
    public static IEnumerable<(string Record, Field Field)> OfAvro(AvroSchema schema) => OfAvro(schema, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Each JSON Schema property, with the path of the object that declares it (<c>$</c>, or a definition's name, then property names).</summary>
    public static IEnumerable<(string Path, string Name, JsonNode? Property)> OfJson(JsonNode? node) => OfJson(node, "$", 0);

    private static IEnumerable<(string, Field)> OfAvro(AvroSchema schema, HashSet<string> seen)
    {
        IEnumerable<AvroSchema> nested = schema switch
        {
            RecordSchema record when seen.Add(record.Fullname) => record.Fields.Select(f => f.Schema),
            UnionSchema union => union.Schemas,
            ArraySchema array => [array.ItemSchema],
            MapSchema map => [map.ValueSchema],
            _ => [],
        };
        if (schema is RecordSchema named && nested.Any())
        {
            foreach (var field in named.Fields)
            {
                yield return (named.Fullname, field);
            }
        }

        foreach (var inner in nested.ToList())
        {
            foreach (var found in OfAvro(inner, seen))
            {
                yield return found;
            }
        }
    }

    private static IEnumerable<(string, string, JsonNode?)> OfJson(JsonNode? node, string path, int depth)
    {
        if (node is not JsonObject schema || depth > MaxDepth)
        {
            yield break;
        }

        var nested = new List<(JsonNode?, string)>();
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            yield return (path, name, property);
            nested.Add((property, $"{path}.{name}"));
        }

        nested.AddRange(new[] { "items", "additionalProperties", "not" }.Select(key => (schema[key], path)));
        nested.AddRange(new[] { "allOf", "anyOf", "oneOf", "prefixItems" }.SelectMany(key => (schema[key] as JsonArray ?? []).Select(branch => (branch, path))));
        nested.AddRange(new[] { "definitions", "$defs" }.SelectMany(key => (schema[key] as JsonObject ?? []).Select(d => (d.Value, d.Key))));
        foreach (var (inner, innerPath) in nested)
        {
            foreach (var found in OfJson(inner, innerPath, depth + 1))
            {
                yield return found;
            }
        }
    }
}
