using Avro;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using AvroSchema = Avro.Schema;

namespace Tributary.Grains.SchemaRegistry.Avro;

/// <summary>A parsed Avro schema, with the Apache.Avro object the compatibility checker walks.</summary>
internal sealed class AvroParsedSchema(string text, string identity, AvroSchema schema) : ParsedSchema(AvroFormat.Name, text, identity)
{
    public AvroSchema Schema { get; } = schema;
}

/// <summary>
/// Avro, parsed by Apache.Avro. References are named types defined by other subjects' schemas: they are parsed first
/// (their own references before them) into the names the schema may use. The stored text is what Java Avro's
/// <c>Schema.toString()</c> writes (<see cref="JavaSchemaText"/>), as Confluent's registry stores it, with referenced
/// types left as names; with <c>normalize</c>, Apache.Avro's canonical JSON (full names, fixed attribute order). Identity is Avro's Parsing Canonical Form extended with what it leaves out
/// but resolution depends on (defaults, aliases, logical types, enum defaults): the canonical JSON without docs and
/// unknown properties' order, plus the references.
/// </summary>
public sealed class AvroFormat : ISchemaFormat
{
    public const string Name = "AVRO";

    public string Type => Name;

    public ParsedSchema Parse(string schema, IReadOnlyList<ResolvedReference> references, bool normalize)
    {
        var names = new SchemaNames();
        var seen = new HashSet<(string, int)>();
        foreach (var reference in references)
        {
            AddReferenced(reference, names, seen);
        }

        AvroSchema? parsed;
        try
        {
            parsed = AvroJson.ParseSchema(schema, names);
        }
        catch (Exception e) when (e is AvroException or JsonException or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidSchemaException($"Invalid schema: {e.Message}", e);
        }

        if (parsed is null)
        {
            throw new InvalidSchemaException("Invalid schema: not an Avro type.");
        }

        if (AvroDefaults.FindInvalid(parsed) is { } invalid)
        {
            throw new InvalidSchemaException($"Invalid default value at {invalid}");
        }

        var canonical = parsed.ToString();
        var text = normalize ? canonical : JavaSchemaText.Of(schema);
        var identity = WithoutDocs(canonical) + string.Concat(references.Select(r => $"|{r.Name}={r.Subject}/{r.Version}"));
        return new AvroParsedSchema(text, identity, parsed);
    }

    /// <remarks>Avro's messages name the reader and the writer schema themselves, as Confluent's do: the labels are not used.</remarks>
    public IReadOnlyList<string> CheckCanRead(ParsedSchema reader, ParsedSchema writer, string readerLabel = "reader", string writerLabel = "writer") =>
        AvroCompatibility.Check(((AvroParsedSchema)reader).Schema, ((AvroParsedSchema)writer).Schema);

    private static void AddReferenced(ResolvedReference reference, SchemaNames names, HashSet<(string, int)> seen)
    {
        if (!seen.Add((reference.Subject, reference.Version)))
        {
            return;
        }

        foreach (var nested in reference.References)
        {
            AddReferenced(nested, names, seen);
        }

        try
        {
            // Parsing with the shared names adds every named type the referenced schema defines.
            AvroJson.ParseSchema(reference.Schema, names);
        }
        catch (Exception e) when (e is AvroException or JsonException or ArgumentException)
        {
            throw new InvalidSchemaException($"Invalid reference '{reference.Name}' ({reference.Subject} version {reference.Version}): {e.Message}", e);
        }
    }

    private static string WithoutDocs(string json)
    {
        var token = AvroJson.Read(json);
        foreach (var doc in token.SelectTokens("$..doc").ToList())
        {
            doc.Parent?.Remove();
        }

        return token.ToString(Formatting.None);
    }
}
