using System.Text.Json;
using System.Text.Json.Nodes;
using global::Json.Schema;

namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>A parsed JSON schema, with the node graph the compatibility rules walk.</summary>
internal sealed class JsonParsedSchema(string text, string identity, JsonSchemaNode root, IReadOnlyList<(string Name, string Text)> referenced)
    : ParsedSchema(JsonSchemaFormat.Name, text, identity)
{
    public JsonSchemaNode Root { get; } = root;

    /// <summary>Every referenced document by its reference name, theirs included.</summary>
    public IReadOnlyList<(string Name, string Text)> Referenced { get; } = referenced;
}

/// <summary>
/// JSON Schema (<c>schemaType</c> JSON), drafts 4, 6, 7, 2019-09 and 2020-12 by <c>$schema</c> (7 without one). A
/// schema must be valid against its draft's meta-schema (JsonSchema.Net) and load as Confluent's registry loads it.
/// References are other subjects' schemas, named in <c>$ref</c> by the reference's name. The stored text is the
/// document written compactly, as Confluent's registry stores it; normalized, with every object's members sorted.
/// Identity is that text and the references. Compatibility follows Confluent's rules for JSON Schema
/// (<see cref="JsonSchemaDiff"/>), with its messages.
/// </summary>
public sealed class JsonSchemaFormat : ISchemaFormat, ISchemaValueCodec
{
    public const string Name = "JSON";

    /// <summary>Schemas nest deeper than JSON's usual 64 levels; the gateway bounds requests' nesting before they come here.</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    public string Type => Name;

    public ParsedSchema Parse(string schema, IReadOnlyList<ResolvedReference> references, bool normalize)
    {
        var root = ParseDocument(schema, "schema");
        var documents = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        AddReferenced(references, documents);
        JsonSchemaNode node;
        try
        {
            node = JsonSchemaLoader.Load(root, documents);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // A member named twice surfaces here, when the loader first reads the object.
            throw new InvalidSchemaException($"Invalid schema: {e.Message}", e);
        }

        var text = JsonSchemaText.Compact(normalize ? JsonSchemaText.Sorted(root)! : root);
        // Normalized, references count in order of name, each once, as Confluent's normalize sorts them.
        var identityReferences = normalize
            ? references.DistinctBy(r => (r.Name, r.Subject, r.Version)).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Subject, StringComparer.Ordinal).ThenBy(r => r.Version)
            : references.AsEnumerable();
        var identity = $"{Name}|{text}" + string.Concat(identityReferences.Select(r => $"|{r.Name}={r.Subject}/{r.Version}"));
        return new JsonParsedSchema(text, identity, node, Flatten(references).ToList());
    }

    public IReadOnlyList<string> CheckCanRead(ParsedSchema reader, ParsedSchema writer, string readerLabel = "reader", string writerLabel = "writer")
    {
        if (reader is not JsonParsedSchema update || writer is not JsonParsedSchema original)
        {
            return ["Incompatible because of different schema type"];
        }

        return [.. JsonSchemaDiff.Compare(original.Root, update.Root).Where(d => !d.IsCompatible).Select(d => d.Message(readerLabel, writerLabel))];
    }

    public byte[] Encode(ParsedSchema schema, string json) => JsonSchemaValues.Encode((JsonParsedSchema)schema, json);

    public string Decode(ParsedSchema schema, ReadOnlyMemory<byte> payload) => JsonSchemaValues.Decode(payload);

    /// <summary>Every referenced document, theirs before them; a list of references shared by several (a diamond) is walked once.</summary>
    private static IEnumerable<(string, string)> Flatten(IReadOnlyList<ResolvedReference> references, HashSet<object>? walked = null)
    {
        walked ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        return walked.Add(references) ? references.SelectMany(r => Flatten(r.References, walked).Append((r.Name, r.Schema))).ToList() : [];
    }

    private static void AddReferenced(IReadOnlyList<ResolvedReference> references, Dictionary<string, JsonNode> documents, HashSet<object>? walked = null)
    {
        walked ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        if (!walked.Add(references))
        {
            return;
        }

        foreach (var reference in references)
        {
            AddReferenced(reference.References, documents, walked);
            documents[reference.Name] = ParseDocument(reference.Schema, $"reference '{reference.Name}'");
        }
    }

    /// <summary>The document as JSON, checked against the meta-schema of its draft.</summary>
    private static JsonNode ParseDocument(string text, string what)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: DocumentOptions);
            // Reading one member makes the object check them all: a member named twice is refused here.
            _ = (root as JsonObject)?.Count;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidSchemaException($"Invalid {what}: not JSON: {e.Message}", e);
        }

        if (root is not (JsonObject or JsonValue))
        {
            throw new InvalidSchemaException($"Invalid {what}: a JSON schema is an object or a boolean.");
        }

        // Draft 4 has no meta-schema here (its exclusive limits are flags, which later drafts refuse): the loader's checks apply.
        if (root is JsonObject && MetaSchemaOf(root) is { } metaSchema)
        {
            using var document = JsonDocument.Parse(text, DocumentOptions);
            var result = metaSchema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var first = result.Details?.FirstOrDefault(d => d.Errors is { Count: > 0 });
                var reason = first is null ? "" : $" at '{first.InstanceLocation}': {first.Errors!.Values.First()}";
                throw new InvalidSchemaException($"Invalid {what}: not a valid JSON Schema{reason}");
            }
        }

        return root;
    }

    private static JsonSchema? MetaSchemaOf(JsonNode root)
    {
        var draft = root["$schema"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        return draft switch
        {
            _ when draft.Contains("draft-04", StringComparison.Ordinal) => null,
            _ when draft.Contains("draft-06", StringComparison.Ordinal) => MetaSchemas.Draft6,
            _ when draft.Contains("2019-09", StringComparison.Ordinal) => MetaSchemas.Draft201909,
            _ when draft.Contains("2020-12", StringComparison.Ordinal) => MetaSchemas.Draft202012,
            _ => MetaSchemas.Draft7,
        };
    }
}
