namespace Tributary.Grains.SchemaRegistry;

/// <summary>
/// A schema format the registry serves (AVRO now; JSON and PROTOBUF later as siblings): parsing with references,
/// the text the registry stores and returns, the identity that decides when two registrations are the same schema,
/// and the reader/writer check that compatibility levels are built from.
/// </summary>
public interface ISchemaFormat
{
    /// <summary>The <c>schemaType</c> name clients send: AVRO, JSON, PROTOBUF.</summary>
    string Type { get; }

    /// <summary>Parses a schema whose references are given resolved; throws <see cref="InvalidSchemaException"/>.</summary>
    ParsedSchema Parse(string schema, IReadOnlyList<ResolvedReference> references, bool normalize);

    /// <summary>
    /// Why data written with <paramref name="writer"/> cannot be read with <paramref name="reader"/>: one message per
    /// incompatibility, each naming the path at fault; empty when it can. The labels name the two schemas in messages
    /// that speak of them as the new and the old one, as Confluent's do for formats other than Avro.
    /// </summary>
    IReadOnlyList<string> CheckCanRead(ParsedSchema reader, ParsedSchema writer, string readerLabel = "reader", string writerLabel = "writer");
}

/// <summary>A parsed schema: the text the registry keeps and returns, and the identity registrations are compared by.</summary>
public abstract class ParsedSchema(string type, string text, string identity)
{
    public string Type { get; } = type;

    /// <summary>The schema as the registry stores and returns it.</summary>
    public string Text { get; } = text;

    /// <summary>Equal for two registrations that are the same schema (with the same references).</summary>
    public string Identity { get; } = identity;
}

/// <summary>
/// A reference (<c>{"name","subject","version"}</c>) with the referenced schema's text and its own references,
/// resolved by the registry before parsing.
/// </summary>
public sealed record ResolvedReference(string Name, string Subject, int Version, string Schema, IReadOnlyList<ResolvedReference> References);

/// <summary>A schema that does not parse, or whose references do not resolve: Confluent's 42201.</summary>
public sealed class InvalidSchemaException(string message, Exception? inner = null) : Exception(message, inner);
