using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Tributary.Grains.SchemaRegistry.Avro;
using Tributary.Grains.SchemaRegistry.Json;
using Tributary.Grains.SchemaRegistry.Protobuf;

namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>
/// The tags a schema puts on its fields itself, Confluent's inline <c>confluent:tags</c> (an Avro field's property, a
/// JSON Schema property's keyword), by field path (<c>Record.field</c>), as Confluent's field rules read them beside
/// the metadata's tags, and a Protobuf field's <c>(confluent.field_meta).tags</c> option.
/// </summary>
public static class InlineTags
{
    private const string Keyword = "confluent:tags";

    /// <summary>The field number of <c>confluent.field_meta</c> on FieldOptions, and of the tags within it (confluent/meta.proto).</summary>
    private const int FieldMeta = 1088;

    private const int MetaTags = 3;

    /// <summary>A field path to its inline tags; empty for a schema without any.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(ParsedSchema schema)
    {
        var tags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        switch (schema)
        {
            case AvroParsedSchema avro:
                foreach (var (record, field) in SchemaFields.OfAvro(avro.Schema))
                {
                    if (field.GetProperty(Keyword) is { } json && Strings(Parse(json)) is { Count: > 0 } found)
                    {
                        Add(tags, $"{record}.{field.Name}", found);
                    }
                }

                break;
            case ProtobufParsedSchema proto:
                FromProtobuf(proto.File.MessageTypes, proto.File.Package, tags);
                break;
            case JsonParsedSchema:
                foreach (var (path, name, property) in SchemaFields.OfJson(Parse(schema.Text)))
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

    /// <summary>Confluent's <c>confluent.field_meta</c> (field option 1088, a Meta message whose field 3 is its tags) on each field.</summary>
    private static void FromProtobuf(IEnumerable<DescriptorProto> messages, string? scope, Dictionary<string, List<string>> tags)
    {
        foreach (var message in messages)
        {
            var name = string.IsNullOrEmpty(scope) ? message.Name : $"{scope}.{message.Name}";
            foreach (var field in message.Fields)
            {
                if (FieldMetaTags(ProtobufOptionsText.ExtensionBytes(field.Options)) is { Count: > 0 } found)
                {
                    Add(tags, $"{name}.{field.Name}", found);
                }
            }

            FromProtobuf(message.NestedTypes, name, tags);
        }
    }

    private static List<string> FieldMetaTags(byte[]? options)
    {
        var found = new List<string>();
        var reader = new ProtobufWireReader(options ?? []);
        while (reader.TryReadField(out var number, out var value))
        {
            if (number != FieldMeta || value.WireType != 2)
            {
                continue;
            }

            var meta = new ProtobufWireReader(value.Bytes);
            while (meta.TryReadField(out var metaNumber, out var metaValue))
            {
                if (metaNumber == MetaTags && metaValue.WireType == 2)
                {
                    found.Add(System.Text.Encoding.UTF8.GetString(metaValue.Bytes.Span));
                }
            }
        }

        return found;
    }

    /// <summary>JSON as deep as a schema may be (an Avro schema nests up to 512 levels); what does not parse has no tags.</summary>
    internal static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 1024 });
        }
        catch (JsonException)
        {
            return null;
        }
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
