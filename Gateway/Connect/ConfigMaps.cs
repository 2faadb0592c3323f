using System.Text.Json;

namespace Tributary.Gateway.Connect;

/// <summary>
/// A connector's config from JSON, a map of strings as Kafka's Jackson reads <c>Map&lt;String, String&gt;</c>: a number or
/// a boolean is taken as its text (<c>"tasks.max": 2</c> is <c>"2"</c>, <c>1.50</c> stays <c>"1.50"</c>), an object or an
/// array is refused; a null is refused too, except in a patch, where it removes its key (KIP-477). Of a key given
/// twice the last wins, as in Jackson.
/// </summary>
internal static class ConfigMaps
{
    /// <summary>The config of <paramref name="json"/>, or null and the 400 message in <paramref name="error"/>.</summary>
    public static Dictionary<string, string>? Read(JsonElement json, string what, out string? error)
    {
        if (Read(json, what, nullsRemove: false, out error) is not { } map)
        {
            return null;
        }

        return map.ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
    }

    /// <summary>A patch: as <see cref="Read(JsonElement, string, out string?)"/>, with a null value kept (it removes its key).</summary>
    public static Dictionary<string, string?>? ReadPatch(JsonElement json, string what, out string? error) =>
        Read(json, what, nullsRemove: true, out error);

    private static Dictionary<string, string?>? Read(JsonElement json, string what, bool nullsRemove, out string? error)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = $"The {what} must be a JSON object of strings, not {Describe(json.ValueKind)}";
            return null;
        }

        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null && !nullsRemove)
            {
                error = $"The value of '{property.Name}' in the {what} may not be null";
                return null;
            }

            if (!TryText(property.Value, out var text))
            {
                error = $"The value of '{property.Name}' in the {what} must be a string, not {Describe(property.Value.ValueKind)}";
                return null;
            }

            map[property.Name] = text;
        }

        error = null;
        return map;
    }

    /// <summary>A scalar as Jackson's StringDeserializer takes it: a string as is, a number as written, true/false, null.</summary>
    public static bool TryText(JsonElement value, out string? text)
    {
        text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return text is not null || value.ValueKind == JsonValueKind.Null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
