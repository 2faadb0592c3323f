using System.Text.Json;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>
/// A v2 produce request: its records, and the key and value schemas (by text or id) of the Avro format. Read from the
/// request's document by hand: a field of the wrong type is absent, as Confluent's lenient reading has it.
/// </summary>
internal sealed record ProduceRequest(string? KeySchema, int? KeySchemaId, string? ValueSchema, int? ValueSchemaId, List<ProduceRecord>? Records)
{
    public static ProduceRequest Read(JsonElement root)
    {
        var records = root.TryGetProperty("records", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.Object
                ? new ProduceRecord(Value(r, "key"), Value(r, "value"), Number(r, "partition"))
                : new ProduceRecord(null, r, null)).ToList()
            : null;
        return new ProduceRequest(Text(root, "key_schema"), Number(root, "key_schema_id"), Text(root, "value_schema"), Number(root, "value_schema_id"), records);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number && property.TryGetInt32(out var n) ? n : null;

    private static JsonElement? Value(JsonElement element, string name) => element.TryGetProperty(name, out var property) ? property : null;
}
