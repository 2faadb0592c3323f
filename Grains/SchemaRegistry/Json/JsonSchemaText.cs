using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// The text the registry keeps for a JSON schema, as Confluent's (Jackson's compact writing of the parsed document):
/// no whitespace, members in their order, numbers as written, only the characters JSON requires escaped. Normalized,
/// every object's members are sorted by name, as Confluent's <c>normalize</c> sorts them.
/// </summary>
internal static class JsonSchemaText
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static string Compact(JsonNode node) => node.ToJsonString(Options);

    /// <summary>A copy of <paramref name="node"/> with every object's members in ordinal order of their names.</summary>
    public static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        null => null,
        _ => node.DeepClone(),
    };
}
