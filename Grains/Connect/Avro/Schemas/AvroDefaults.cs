using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>
/// Whether a JSON default fits an Avro type (Java Avro's <c>Schema.isValidDefault</c>): Java refuses to make a field
/// with a default that does not, and AvroData then makes the field without one; so must we.
/// </summary>
internal static class AvroDefaults
{
    public static bool IsValid(AvroType type, JsonNode? value)
    {
        var kind = Kind(value);
        switch (type)
        {
            case AvroUnion union:
                return union.Types.Count > 0 && IsValid(union.Types[0], value);
            case AvroArray array:
                return value is JsonArray items && items.All(item => IsValid(array.Items, item));
            case AvroMap map:
                return value is JsonObject entries && entries.All(entry => IsValid(map.Values, entry.Value));
            case AvroRecord record:
                return value is JsonObject obj && record.Fields.All(field =>
                    obj.TryGetPropertyValue(field.Name, out var member) ? IsValid(field.Type, member) : field.HasDefault && IsValid(field.Type, field.Default));
        }

        return type.Kind switch
        {
            AvroKind.String or AvroKind.Bytes or AvroKind.Enum or AvroKind.Fixed => kind == JsonValueKind.String,
            AvroKind.Int => kind == JsonValueKind.Number && Element(value!) is var i && i.TryGetInt32(out _) && IsIntegral(i),
            AvroKind.Long => kind == JsonValueKind.Number && Element(value!) is var l && l.TryGetInt64(out _) && IsIntegral(l),
            AvroKind.Float or AvroKind.Double => kind == JsonValueKind.Number,
            AvroKind.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            AvroKind.Null => kind == JsonValueKind.Null,
            _ => false,
        };
    }

    private static JsonValueKind Kind(JsonNode? value) => value?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>The node as a JSON element, whether it was parsed or made from a C# value.</summary>
    public static JsonElement Element(JsonNode value) =>
        value.AsValue().TryGetValue<JsonElement>(out var element) ? element : JsonSerializer.SerializeToElement(value);

    private static bool IsIntegral(JsonElement value) => value.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0;
}
