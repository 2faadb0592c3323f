using System.Text.Json.Nodes;

namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>
/// The custom properties of an Avro schema or field, in the order they were added, as Java's <c>JsonProperties</c>
/// keeps them: adding a name again keeps the first value and its place (Java refuses a different value; AvroData never
/// asks for one), so the JSON written lists them exactly as Confluent's converter does.
/// </summary>
internal sealed class AvroProps
{
    private readonly List<KeyValuePair<string, JsonNode?>> _entries = [];

    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Entries => _entries;

    public int Count => _entries.Count;

    public void Add(string name, JsonNode? value)
    {
        if (!Contains(name))
        {
            _entries.Add(new KeyValuePair<string, JsonNode?>(name, value));
        }
    }

    public void Add(string name, string value) => Add(name, JsonValue.Create(value));

    public bool Contains(string name) => _entries.Exists(e => e.Key == name);

    public JsonNode? Get(string name) => _entries.Find(e => e.Key == name).Value;

    /// <summary>The property's value when it is a JSON string; null when it is missing or anything else.</summary>
    public string? GetString(string name) =>
        Get(name) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
