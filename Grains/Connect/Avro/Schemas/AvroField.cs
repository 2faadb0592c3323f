using System.Text.Json.Nodes;

namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>
/// A field of an Avro record. <see cref="HasDefault"/> tells a missing default from a JSON null one, which
/// <see cref="Default"/> alone cannot (System.Text.Json holds JSON null as a C# null).
/// </summary>
internal sealed class AvroField(string name, AvroType type, string? doc, bool hasDefault, JsonNode? defaultValue, string? order = null)
{
    public string Name { get; } = name;

    public AvroType Type { get; } = type;

    public string? Doc { get; } = doc;

    public bool HasDefault { get; } = hasDefault;

    public JsonNode? Default { get; } = defaultValue;

    /// <summary>The sort order when it is not Avro's default "ascending".</summary>
    public string? Order { get; } = order;

    public AvroProps Props { get; } = new();
}
