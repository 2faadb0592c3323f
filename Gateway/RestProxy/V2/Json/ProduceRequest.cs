using System.Globalization;
using System.Text.Json;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>
/// A v2 produce request: its records, and the key and value schemas (by text or id) of the Avro format. Read from the
/// request's document by hand. Records must be JSON objects, as Confluent's binding (Jackson) demands; a schema field
/// of the wrong type is absent, as Confluent's lenient reading has it.
/// </summary>
internal sealed record ProduceRequest(string? KeySchema, int? KeySchemaId, string? ValueSchema, int? ValueSchemaId, List<ProduceRecord> Records)
{
    /// <summary>
    /// The request, or why its records cannot be bound, in the words of the Jackson error that Confluent's REST Proxy
    /// answers with 400 (rest-utils' JsonMappingExceptionMapper): a record that is not an object, records that are not
    /// an array. Missing records read as none, as Confluent's <c>ProduceRequest.fromJson</c> has them.
    /// </summary>
    public static (ProduceRequest? Request, string? Unbindable) Read(JsonElement root)
    {
        var records = new List<ProduceRecord>();
        if (root.TryGetProperty("records", out var array) && array.ValueKind != JsonValueKind.Null)
        {
            if (array.ValueKind != JsonValueKind.Array)
            {
                return (null, $"Cannot deserialize value of type `ImmutableList<ProduceRecord>` from {Kind(array)} value");
            }

            var index = 0;
            foreach (var record in array.EnumerateArray())
            {
                if (record.ValueKind != JsonValueKind.Object)
                {
                    return (null, NotARecord(record, index));
                }

                records.Add(new ProduceRecord(Value(record, "key"), Value(record, "value"), Number(record, "partition")));
                index++;
            }
        }

        return (new ProduceRequest(Text(root, "key_schema"), Number(root, "key_schema_id"), Text(root, "value_schema"), Number(root, "value_schema_id"), records), null);
    }

    /// <summary>Jackson's complaint about a record that is a JSON scalar, array or null.</summary>
    private static string NotARecord(JsonElement record, int index)
    {
        const string Creator = "Cannot construct instance of `ProduceRecord` (although at least one Creator exists): ";
        return record.ValueKind switch
        {
            JsonValueKind.Number when record.TryGetInt32(out var n) =>
                $"{Creator}no int/Int-argument constructor/factory method to deserialize from Number value ({n.ToString(CultureInfo.InvariantCulture)})",
            JsonValueKind.Number when record.TryGetInt64(out var n) =>
                $"{Creator}no long/Long-argument constructor/factory method to deserialize from Number value ({n.ToString(CultureInfo.InvariantCulture)})",
            JsonValueKind.Number =>
                $"{Creator}no double/Double-argument constructor/factory method to deserialize from Number value ({record.GetRawText()})",
            JsonValueKind.String => $"{Creator}no String-argument constructor/factory method to deserialize from String value ('{record.GetString()}')",
            JsonValueKind.True or JsonValueKind.False =>
                $"{Creator}no boolean/Boolean-argument constructor/factory method to deserialize from Boolean value ({(record.ValueKind == JsonValueKind.True ? "true" : "false")})",
            JsonValueKind.Array => "Cannot deserialize value of type `ProduceRecord` from Array value (token `JsonToken.START_ARRAY`)",

            // A null record reaches Confluent's request, whose immutable list refuses it.
            _ => $"Cannot construct instance of `ProduceRequest`, problem: at index {index.ToString(CultureInfo.InvariantCulture)}",
        };
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "Object",
        JsonValueKind.String => "String",
        JsonValueKind.Number => "Number",
        _ => "Boolean",
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number && property.TryGetInt32(out var n) ? n : null;

    private static JsonElement? Value(JsonElement element, string name) => element.TryGetProperty(name, out var property) ? property : null;
}
