using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tributary.Grains.Connect.Runtime.Offsets;

/// <summary>
/// Source partitions and offsets as JSON text, the way Kafka stores them in <c>connect-offsets</c> (schemaless JSON):
/// <see cref="Write"/> orders object keys so that equal maps have equal text (a partition is looked up by its text);
/// <see cref="Read"/> gives back integers as <see cref="long"/>, other numbers as <see cref="double"/>, objects as
/// dictionaries and arrays as lists, as Kafka's JsonConverter reads schemaless values.
/// </summary>
public static class OffsetJson
{
    public static string Write(IReadOnlyDictionary<string, object?> map)
    {
        // A source task's runner writes an offset for each poll: into a buffer read in place, without a stream's copy.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, map);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyDictionary<string, object?> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new Api.Data.DataException("A source partition or offset must be a JSON object: " + json);
        }

        return (IReadOnlyDictionary<string, object?>)ReadValue(document.RootElement)!;
    }

    /// <summary>The canonical text of any JSON object text (keys ordered), for comparing partitions written by others.</summary>
    public static string Canonical(string json) => Write(Read(json));

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case sbyte or short or int or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case float f:
                writer.WriteNumberValue(f);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map.Count == 1 ? map : (IEnumerable<KeyValuePair<string, object?>>)map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (var entry in Entries(dictionary).OrderBy(e => Convert.ToString(e.Key, CultureInfo.InvariantCulture), StringComparer.Ordinal))
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    WriteValue(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new Api.Data.DataException($"A source partition or offset cannot hold a {value.GetType().Name}");
        }
    }

    /// <summary>A map's entries; <c>Cast&lt;DictionaryEntry&gt;</c> would not do, since a generic dictionary enumerates key-value pairs.</summary>
    private static IEnumerable<DictionaryEntry> Entries(IDictionary map)
    {
        var enumerator = map.GetEnumerator();
        while (enumerator.MoveNext())
        {
            yield return enumerator.Entry;
        }
    }

    private static object? ReadValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ReadValue(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(ReadValue).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(), // boxed apart: a ternary of long and double would be a double
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
