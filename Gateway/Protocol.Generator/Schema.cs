using System.Globalization;
using System.Text.Json;

namespace Tributary.Gateway.Protocol.Generator;

/// <summary>An inclusive version range such as "3+", "0-2" or "none".</summary>
internal readonly record struct Versions(short Min, short Max)
{
    public static readonly Versions None = new(1, 0);

    public bool IsEmpty => Min > Max;

    public static Versions Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text == "none")
        {
            return None;
        }

        if (text.EndsWith('+'))
        {
            return new(short.Parse(text[..^1], CultureInfo.InvariantCulture), short.MaxValue);
        }

        var dash = text.IndexOf('-');
        return dash < 0
            ? new(short.Parse(text, CultureInfo.InvariantCulture), short.Parse(text, CultureInfo.InvariantCulture))
            : new(short.Parse(text[..dash], CultureInfo.InvariantCulture), short.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture));
    }

    public Versions Intersect(Versions other) => new(Math.Max(Min, other.Min), Math.Min(Max, other.Max));

    public bool Contains(short version) => version >= Min && version <= Max;

    public bool Covers(Versions other) => other.IsEmpty || (Min <= other.Min && Max >= other.Max);

    /// <summary>A C# condition on <c>version</c> that holds inside this range, given that it lies in <paramref name="within"/>.</summary>
    public string Condition(Versions within)
    {
        if (IsEmpty || Intersect(within).IsEmpty)
        {
            return "false";
        }

        var parts = new List<string>();
        if (Min > within.Min)
        {
            parts.Add($"version >= {Min}");
        }

        if (Max < within.Max)
        {
            parts.Add($"version <= {Max}");
        }

        return parts.Count == 0 ? "true" : string.Join(" && ", parts);
    }
}

/// <summary>One field of a message or struct, as the JSON defines it.</summary>
internal sealed record FieldSpec(
    string Name,
    string Type,
    Versions Versions,
    Versions NullableVersions,
    Versions TaggedVersions,
    int? Tag,
    Versions? FlexibleOverride,
    string? Default,
    IReadOnlyList<FieldSpec>? Fields)
{
    public bool IsArray => Type.StartsWith("[]", StringComparison.Ordinal);

    public string ElementType => IsArray ? Type[2..] : Type;

    public bool IsStruct => !Primitives.Contains(ElementType);

    public bool IsTagged => Tag is not null;

    public static readonly HashSet<string> Primitives =
        ["int8", "int16", "int32", "int64", "uint16", "uint32", "float64", "bool", "string", "bytes", "records", "uuid"];

    public static FieldSpec Parse(JsonElement element)
    {
        var json = Json.Properties(element);
        return new(
            json["name"].GetString()!,
            json["type"].GetString()!,
            Versions.Parse(Json.String(json, "versions")),
            Versions.Parse(Json.String(json, "nullableVersions")),
            Versions.Parse(Json.String(json, "taggedVersions")),
            json.TryGetValue("tag", out var tag) ? (tag.ValueKind == JsonValueKind.String ? int.Parse(tag.GetString()!, CultureInfo.InvariantCulture) : tag.GetInt32()) : null,
            json.TryGetValue("flexibleVersions", out var flexible) ? Versions.Parse(flexible.GetString()) : null,
            json.TryGetValue("default", out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null,
            json.TryGetValue("fields", out var fields) ? fields.EnumerateArray().Select(Parse).ToList() : null);
    }
}

/// <summary>A message definition file: a request, a response, a header or a data message.</summary>
internal sealed record MessageSpec(
    string Name,
    string Type,
    short? ApiKey,
    Versions ValidVersions,
    Versions FlexibleVersions,
    IReadOnlyList<FieldSpec> Fields,
    IReadOnlyList<(string Name, IReadOnlyList<FieldSpec> Fields)> CommonStructs)
{
    public static MessageSpec Load(string path)
    {
        // The definitions carry // comments, which the parser skips on request.
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var json = Json.Properties(document.RootElement);
        return new MessageSpec(
            json["name"].GetString()!,
            json["type"].GetString()!,
            json.TryGetValue("apiKey", out var key) ? (key.ValueKind == JsonValueKind.String ? short.Parse(key.GetString()!, CultureInfo.InvariantCulture) : key.GetInt16()) : null,
            Versions.Parse(Json.String(json, "validVersions")),
            Versions.Parse(Json.String(json, "flexibleVersions")),
            json["fields"].EnumerateArray().Select(FieldSpec.Parse).ToList(),
            json.TryGetValue("commonStructs", out var common)
                ? common.EnumerateArray()
                    .Select(c => Json.Properties(c))
                    .Select(c => (c["name"].GetString()!, (IReadOnlyList<FieldSpec>)c["fields"].EnumerateArray().Select(FieldSpec.Parse).ToList()))
                    .ToList()
                : []);
    }
}

/// <summary>JSON helpers that tolerate what the definitions contain: a key given twice in an object keeps its last value.</summary>
internal static class Json
{
    public static Dictionary<string, JsonElement> Properties(JsonElement element)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            properties[property.Name] = property.Value;
        }

        return properties;
    }

    public static string? String(Dictionary<string, JsonElement> json, string name) =>
        json.TryGetValue(name, out var value) ? value.GetString() : null;
}
