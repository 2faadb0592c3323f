using System.Text.RegularExpressions;

namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// The kinds of schema that Confluent's JSON Schema compatibility rules tell apart: the classes of the everit schema
/// model its registry loads schemas into. Two schemas of different kinds are a type change, except that anything may
/// become an empty (or true) schema and a false schema may become anything.
/// </summary>
internal enum JsonSchemaKind
{
    Empty,
    True,
    False,
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
    Enum,
    Const,
    Combined,
    Not,
    Conditional,
    Reference,
}

/// <summary>
/// One schema of a JSON Schema document in the shape the compatibility rules compare: the keywords of its kind, with
/// subschemas as nodes. Built by <see cref="JsonSchemaLoader"/>; a reference is resolved lazily, so that recursive
/// schemas are finite graphs.
/// </summary>
internal sealed class JsonSchemaNode(JsonSchemaKind kind)
{
    public JsonSchemaKind Kind { get; } = kind;

    /// <summary>The node's JSON text, compact: equality of subschemas within a combination.</summary>
    public string Text { get; init; } = "";

    public string? Id { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>The default value's JSON text, or null when there is none.</summary>
    public string? Default { get; init; }

    public bool HasDefault => Default is not null;

    // string
    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public string? Pattern { get; init; }

    // number and integer
    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    public double? ExclusiveMinimum { get; init; }

    public double? ExclusiveMaximum { get; init; }

    public double? MultipleOf { get; init; }

    public bool RequiresInteger { get; init; }

    // object
    public IReadOnlyDictionary<string, JsonSchemaNode> Properties { get; init; } = new Dictionary<string, JsonSchemaNode>();

    public IReadOnlySet<string> Required { get; init; } = new HashSet<string>();

    public bool PermitsAdditionalProperties { get; init; } = true;

    public JsonSchemaNode? AdditionalPropertiesSchema { get; init; }

    public IReadOnlyList<(Regex Pattern, JsonSchemaNode Schema)> PatternProperties { get; init; } = [];

    public long? MinProperties { get; init; }

    public long? MaxProperties { get; init; }

    public IReadOnlyDictionary<string, IReadOnlySet<string>> PropertyDependencies { get; init; } = new Dictionary<string, IReadOnlySet<string>>();

    public IReadOnlyDictionary<string, JsonSchemaNode> SchemaDependencies { get; init; } = new Dictionary<string, JsonSchemaNode>();

    // array
    public JsonSchemaNode? AllItemSchema { get; init; }

    public IReadOnlyList<JsonSchemaNode> ItemSchemas { get; init; } = [];

    public bool PermitsAdditionalItems { get; init; } = true;

    public JsonSchemaNode? AdditionalItemsSchema { get; init; }

    public JsonSchemaNode? UnevaluatedItems { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public bool UniqueItems { get; init; }

    public long? MinContains { get; init; }

    public long? MaxContains { get; init; }

    // enum and const: the values' JSON texts
    public IReadOnlySet<string> EnumValues { get; init; } = new HashSet<string>();

    public string? ConstValue { get; init; }

    // allOf, anyOf, oneOf
    public string Criterion { get; init; } = "";

    public IReadOnlyList<JsonSchemaNode> Subschemas { get; init; } = [];

    // not
    public JsonSchemaNode? MustNotMatch { get; init; }

    // $ref
    public string? Ref { get; init; }

    public Func<JsonSchemaNode>? ResolveReferred { get; init; }

    /// <summary>Whether this is an empty or true schema (everit's TrueSchema is an EmptySchema).</summary>
    public bool IsEmpty => Kind is JsonSchemaKind.Empty or JsonSchemaKind.True;

    /// <summary>The schema a reference stands for; any other node itself.</summary>
    public JsonSchemaNode Referred()
    {
        var node = this;
        for (var hops = 0; node.Kind == JsonSchemaKind.Reference; hops++)
        {
            if (hops > 64)
            {
                throw new InvalidSchemaException($"Invalid schema: $ref {Ref} refers to itself.");
            }

            node = node.ResolveReferred!();
        }

        return node;
    }
}
