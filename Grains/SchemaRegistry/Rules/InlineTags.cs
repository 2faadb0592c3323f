using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Grains.SchemaRegistry.Avro;
using Tributary.Grains.SchemaRegistry.Json;

namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>
/// The tags a schema puts on its fields itself, Confluent's inline <c>confluent:tags</c> (an Avro field's property, a
/// JSON Schema property's keyword), by field path (<c>Record.field</c>), as Confluent's field rules read them beside
/// the metadata's tags. Protobuf's (a field option) are not read.
/// </summary>
public static class InlineTags
{
    private const string Keyword = "confluent:tags";

    /// <summary>A field path to its inline tags; empty for a schema without any.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(ParsedSchema schema)
    {
        var tags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        switch (schema)
        {
            case AvroParsedSchema avro:
                foreach (var (record, field) in SchemaFields.OfAvro(avro.Schema))
                {
                    if (field.GetProperty(Keyword) is { } json && Strings(JsonNode.Parse(json)) is { Count: > 0 } found)
                    {
                        Add(tags, $"{record}.{field.Name}", found);
                    }
                }

                break;
            case JsonParsedSchema:
                foreach (var (path, name, property) in SchemaFields.OfJson(JsonNode.Parse(schema.Text)))
                {
                    if (property is JsonObject described && Strings(described[Keyword]) is { Count: > 0 } found)
                    {
                        Add(tags, $"{path}.{name}", found);
                    }
                }

                break;
        }

        return tags.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value, StringComparer.Ordinal);
    }

    /// <summary>The metadata's tags with the inline ones added (each path's tags together).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>>? Merge(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? metadata, IReadOnlyDictionary<string, IReadOnlyList<string>> inline)
    {
        if (inline.Count == 0)
        {
            return metadata;
        }

        var merged = new Dictionary<string, IReadOnlyList<string>>(metadata ?? new Dictionary<string, IReadOnlyList<string>>(), StringComparer.Ordinal);
        foreach (var (path, tags) in inline)
        {
            merged[path] = merged.TryGetValue(path, out var known) ? known.Union(tags, StringComparer.Ordinal).ToList() : tags;
        }

        return merged;
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList() : [];

    private static void Add(Dictionary<string, List<string>> tags, string path, List<string> found)
    {
        if (!tags.TryGetValue(path, out var known))
        {
            tags[path] = known = [];
        }

        known.AddRange(found.Where(t => !known.Contains(t)));
    }
}
