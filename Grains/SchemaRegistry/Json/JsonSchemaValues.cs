using System.Text;
using System.Text.Json;
using global::Json.Schema;

namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// JSON values of a JSON schema: written (as their UTF-8 text) only when they validate against the schema
/// (JsonSchema.Net, referenced documents registered under their reference names), read back as they are.
/// </summary>
internal static class JsonSchemaValues
{
    /// <summary>The base the schema and its references are read under, so that a reference's name resolves to it.</summary>
    private static readonly Uri Base = new("https://schema-registry.invalid/");

    public static byte[] Encode(JsonParsedSchema schema, string json)
    {
        using var value = JsonDocument.Parse(json);
        var build = new BuildOptions { SchemaRegistry = new global::Json.Schema.SchemaRegistry() };
        foreach (var (name, text) in schema.Referenced)
        {
            build.SchemaRegistry.Register(JsonSchema.FromText(text, build, new Uri(Base, name)));
        }

        var validator = JsonSchema.FromText(schema.Text, build, new Uri(Base, "schema.json"));
        var result = validator.Evaluate(value.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var first = result.Details?.FirstOrDefault(d => d.Errors is { Count: > 0 });
            throw new FormatException(first is null ? "the value does not validate against its schema" : $"at '{first.InstanceLocation}': {first.Errors!.Values.First()}");
        }

        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value.RootElement));
    }

    public static string Decode(ReadOnlyMemory<byte> payload)
    {
        using var value = JsonDocument.Parse(payload);
        return JsonSerializer.Serialize(value.RootElement);
    }
}
