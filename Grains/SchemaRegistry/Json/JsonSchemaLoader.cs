using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// Loads a JSON Schema document into <see cref="JsonSchemaNode"/>s as everit's SchemaLoader (which Confluent's
/// registry uses) shapes them: a <c>type</c> makes a typed schema (several types an anyOf of typed schemas), and
/// without one the keywords present say which kinds of schema to make; <c>enum</c>, <c>const</c>, <c>not</c>,
/// <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c> and <c>if</c> make schemas of their own; several schemas from one object
/// become an allOf of them, none an empty schema. <c>$ref</c> points into this document (a JSON pointer) or into a
/// referenced schema, by the name it was registered under.
/// </summary>
internal sealed class JsonSchemaLoader
{
    private static readonly string[] ObjectKeywords = ["properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties", "dependencies", "dependentRequired", "dependentSchemas", "propertyNames"];
    private static readonly string[] ArrayKeywords = ["items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains", "unevaluatedItems"];
    private static readonly string[] StringKeywords = ["minLength", "maxLength", "pattern", "format"];
    private static readonly string[] NumberKeywords = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];

    private readonly JsonNode _root;
    private readonly IReadOnlyDictionary<string, JsonNode> _documents;
    private readonly Dictionary<JsonNode, JsonSchemaNode> _loaded = new(ReferenceEqualityComparer.Instance);
    private readonly string _idKeyword;

    private JsonSchemaLoader(JsonNode root, IReadOnlyDictionary<string, JsonNode> documents)
    {
        _root = root;
        _documents = documents;
        var draft = root is JsonObject o && o["$schema"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        _idKeyword = draft.Contains("draft-04", StringComparison.Ordinal) ? "id" : "$id";
    }

    /// <summary>Loads <paramref name="root"/>, with the referenced documents by the names references give them.</summary>
    public static JsonSchemaNode Load(JsonNode root, IReadOnlyDictionary<string, JsonNode> documents)
    {
        var loader = new JsonSchemaLoader(root, documents);
        var node = loader.LoadSchema(root, root);
        // Every reference must resolve now, not when a compatibility check first follows it; resolving one may load more.
        for (var checkedCount = 0; checkedCount < loader._loaded.Count;)
        {
            var batch = loader._loaded.Values.Skip(checkedCount).ToList();
            checkedCount += batch.Count;
            foreach (var loaded in batch.Where(n => n.Kind == JsonSchemaKind.Reference))
            {
                loaded.Referred();
            }
        }

        return node;
    }

    private JsonSchemaNode LoadSchema(JsonNode? json, JsonNode document)
    {
        if (json is null)
        {
            throw new InvalidSchemaException("Invalid schema: a subschema is null.");
        }

        if (_loaded.TryGetValue(json, out var known))
        {
            return known;
        }

        var node = json switch
        {
            JsonValue v when v.TryGetValue<bool>(out var b) => new JsonSchemaNode(b ? JsonSchemaKind.True : JsonSchemaKind.False) { Text = b ? "true" : "false" },
            JsonObject o => LoadObject(o, document),
            _ => throw new InvalidSchemaException($"Invalid schema: {Compact(json)} is neither an object nor a boolean."),
        };
        _loaded[json] = node;
        return node;
    }

    private JsonSchemaNode LoadObject(JsonObject o, JsonNode document)
    {
        var common = new Common(
            Compact(o),
            StringOf(o, _idKeyword),
            StringOf(o, "title"),
            StringOf(o, "description"),
            o.TryGetPropertyValue("default", out var d) ? Compact(d) : null);
        if (o["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target))
        {
            return new JsonSchemaNode(JsonSchemaKind.Reference)
            {
                Text = common.Text, Id = common.Id, Title = common.Title, Description = common.Description, Default = common.Default,
                Ref = target,
                ResolveReferred = Lazy(() => Resolve(target, document)),
            };
        }

        var parts = new List<JsonSchemaNode>();
        parts.AddRange(TypedSchemas(o, document, common.Text));
        if (o["enum"] is JsonArray values)
        {
            parts.Add(new JsonSchemaNode(JsonSchemaKind.Enum) { Text = common.Text + "|enum", EnumValues = values.Select(Compact).ToHashSet(StringComparer.Ordinal) });
        }

        if (o.TryGetPropertyValue("const", out var constant))
        {
            parts.Add(new JsonSchemaNode(JsonSchemaKind.Const) { Text = common.Text + "|const", ConstValue = Compact(constant) });
        }

        if (o.TryGetPropertyValue("not", out var not))
        {
            parts.Add(new JsonSchemaNode(JsonSchemaKind.Not) { Text = common.Text + "|not", MustNotMatch = LoadSchema(not, document) });
        }

        foreach (var criterion in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (o.TryGetPropertyValue(criterion, out var list))
            {
                if (list is not JsonArray { Count: > 0 } subschemas)
                {
                    throw new InvalidSchemaException($"Invalid schema: {criterion} must be a non-empty array.");
                }

                parts.Add(new JsonSchemaNode(JsonSchemaKind.Combined)
                {
                    Text = common.Text + "|" + criterion, Criterion = criterion, Subschemas = subschemas.Select(s => LoadSchema(s, document)).ToList(),
                });
            }
        }

        if (o.ContainsKey("if"))
        {
            parts.Add(new JsonSchemaNode(JsonSchemaKind.Conditional) { Text = common.Text + "|if" });
        }

        var kind = parts.Count switch
        {
            0 => JsonSchemaKind.Empty,
            1 => parts[0].Kind,
            _ => JsonSchemaKind.Combined,
        };
        var single = parts.Count == 1 ? parts[0] : null;
        return WithCommon(kind, single, parts, common);
    }

    private static JsonSchemaNode WithCommon(JsonSchemaKind kind, JsonSchemaNode? single, List<JsonSchemaNode> parts, Common common)
    {
        if (single is null)
        {
            return new JsonSchemaNode(kind)
            {
                Text = common.Text, Id = common.Id, Title = common.Title, Description = common.Description, Default = common.Default,
                Criterion = parts.Count > 1 ? "allOf" : "",
                Subschemas = parts.Count > 1 ? parts : [],
            };
        }

        return new JsonSchemaNode(kind)
        {
            Text = common.Text, Id = common.Id, Title = common.Title, Description = common.Description, Default = common.Default,
            MinLength = single.MinLength, MaxLength = single.MaxLength, Pattern = single.Pattern,
            Minimum = single.Minimum, Maximum = single.Maximum, ExclusiveMinimum = single.ExclusiveMinimum, ExclusiveMaximum = single.ExclusiveMaximum,
            MultipleOf = single.MultipleOf, RequiresInteger = single.RequiresInteger,
            Properties = single.Properties, Required = single.Required, PermitsAdditionalProperties = single.PermitsAdditionalProperties,
            AdditionalPropertiesSchema = single.AdditionalPropertiesSchema, PatternProperties = single.PatternProperties,
            MinProperties = single.MinProperties, MaxProperties = single.MaxProperties,
            PropertyDependencies = single.PropertyDependencies, SchemaDependencies = single.SchemaDependencies,
            AllItemSchema = single.AllItemSchema, ItemSchemas = single.ItemSchemas, PermitsAdditionalItems = single.PermitsAdditionalItems,
            AdditionalItemsSchema = single.AdditionalItemsSchema, UnevaluatedItems = single.UnevaluatedItems,
            MinItems = single.MinItems, MaxItems = single.MaxItems, UniqueItems = single.UniqueItems, MinContains = single.MinContains, MaxContains = single.MaxContains,
            EnumValues = single.EnumValues, ConstValue = single.ConstValue,
            Criterion = single.Criterion, Subschemas = single.Subschemas, MustNotMatch = single.MustNotMatch,
        };
    }

    /// <summary>The schemas the <c>type</c> keyword makes, or, without it, those the keywords present imply.</summary>
    private IEnumerable<JsonSchemaNode> TypedSchemas(JsonObject o, JsonNode document, string text)
    {
        if (o.TryGetPropertyValue("type", out var type))
        {
            var names = type switch
            {
                JsonValue v when v.TryGetValue<string>(out var one) => [one],
                JsonArray many => many.Select(t => t is JsonValue tv && tv.TryGetValue<string>(out var name) ? name : throw Invalid("type", t)).ToList(),
                _ => throw Invalid("type", type),
            };
            var typed = names.Select(name => Typed(name, o, document, text)).ToList();
            var declared = typed.Count == 1 ? typed : [new JsonSchemaNode(JsonSchemaKind.Combined) { Text = text + "|type", Criterion = "anyOf", Subschemas = typed }];
            // As everit: keywords of a kind the type does not name still make a schema of that kind ("format" beside
            // "type": "integer" is a string schema's), joined to the typed one by allOf.
            return [.. declared, .. Implied(o, document, text, names)];
        }

        return Implied(o, document, text, []);
    }

    /// <summary>The schemas that keywords imply, for each kind not among <paramref name="declared"/> types.</summary>
    private List<JsonSchemaNode> Implied(JsonObject o, JsonNode document, string text, IReadOnlyCollection<string> declared)
    {
        var implied = new List<JsonSchemaNode>();
        if (!declared.Contains("array") && ArrayKeywords.Any(o.ContainsKey))
        {
            implied.Add(Typed("array", o, document, text));
        }

        if (!declared.Contains("object") && ObjectKeywords.Any(o.ContainsKey))
        {
            implied.Add(Typed("object", o, document, text));
        }

        if (!declared.Contains("number") && !declared.Contains("integer") && NumberKeywords.Any(o.ContainsKey))
        {
            implied.Add(Typed("number", o, document, text));
        }

        if (!declared.Contains("string") && StringKeywords.Any(o.ContainsKey))
        {
            implied.Add(Typed("string", o, document, text));
        }

        return implied;
    }

    private JsonSchemaNode Typed(string type, JsonObject o, JsonNode document, string text) => type switch
    {
        "string" => new JsonSchemaNode(JsonSchemaKind.String)
        {
            Text = text + "string", MinLength = Count(o, "minLength"), MaxLength = Count(o, "maxLength"), Pattern = PatternOf(o),
        },
        "integer" or "number" => new JsonSchemaNode(JsonSchemaKind.Number)
        {
            Text = text + type,
            RequiresInteger = type == "integer",
            Minimum = Number(o, "minimum"),
            Maximum = Number(o, "maximum"),
            // Draft 4 spells exclusiveness as a flag on minimum/maximum: no limit of its own.
            ExclusiveMinimum = o["exclusiveMinimum"] is JsonValue emin && emin.GetValueKind() == JsonValueKind.Number ? Number(o, "exclusiveMinimum") : null,
            ExclusiveMaximum = o["exclusiveMaximum"] is JsonValue emax && emax.GetValueKind() == JsonValueKind.Number ? Number(o, "exclusiveMaximum") : null,
            MultipleOf = Number(o, "multipleOf") is { } multipleOf && multipleOf <= 0 ? throw Invalid("multipleOf", o["multipleOf"]) : Number(o, "multipleOf"),
        },
        "boolean" => new JsonSchemaNode(JsonSchemaKind.Boolean) { Text = text + type },
        "null" => new JsonSchemaNode(JsonSchemaKind.Null) { Text = text + type },
        "object" => ObjectSchema(o, document, text),
        "array" => ArraySchema(o, document, text),
        _ => throw new InvalidSchemaException($"Invalid schema: unknown type '{type}'."),
    };

    private JsonSchemaNode ObjectSchema(JsonObject o, JsonNode document, string text)
    {
        var properties = new Dictionary<string, JsonSchemaNode>(StringComparer.Ordinal);
        if (o["properties"] is JsonObject declared)
        {
            foreach (var (name, schema) in declared)
            {
                properties[name] = LoadSchema(schema, document);
            }
        }

        var additional = o.TryGetPropertyValue("additionalProperties", out var a) ? a : null;
        var propertyDependencies = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var schemaDependencies = new Dictionary<string, JsonSchemaNode>(StringComparer.Ordinal);
        foreach (var keyword in new[] { "dependencies", "dependentRequired", "dependentSchemas" })
        {
            if (o[keyword] is JsonObject dependencies)
            {
                foreach (var (name, dependency) in dependencies)
                {
                    if (dependency is JsonArray names)
                    {
                        propertyDependencies[name] = names.Select(n => n?.GetValue<string>() ?? "").ToHashSet(StringComparer.Ordinal);
                    }
                    else
                    {
                        schemaDependencies[name] = LoadSchema(dependency, document);
                    }
                }
            }
        }

        return new JsonSchemaNode(JsonSchemaKind.Object)
        {
            Text = text + "object",
            Properties = properties,
            Required = o["required"] is JsonArray required ? required.Select(r => r?.GetValue<string>() ?? "").ToHashSet(StringComparer.Ordinal) : new HashSet<string>(),
            PermitsAdditionalProperties = additional is not JsonValue v || !v.TryGetValue<bool>(out var permits) || permits,
            AdditionalPropertiesSchema = additional is JsonObject ? LoadSchema(additional, document) : null,
            PatternProperties = o["patternProperties"] is JsonObject patterns
                ? patterns.Select(p => (Regex(p.Key), LoadSchema(p.Value, document))).ToList()
                : [],
            MinProperties = Count(o, "minProperties"),
            MaxProperties = Count(o, "maxProperties"),
            PropertyDependencies = propertyDependencies,
            SchemaDependencies = schemaDependencies,
        };
    }

    private JsonSchemaNode ArraySchema(JsonObject o, JsonNode document, string text)
    {
        // Draft 2020-12 moved tuples to prefixItems, and items after them to items.
        var tuple = o["prefixItems"] as JsonArray ?? o["items"] as JsonArray;
        var all = o["prefixItems"] is null && o["items"] is { } items && items is not JsonArray ? items : null;
        var additional = o["prefixItems"] is not null ? o["items"] : o["additionalItems"];
        return new JsonSchemaNode(JsonSchemaKind.Array)
        {
            Text = text + "array",
            AllItemSchema = all is null ? null : LoadSchema(all, document),
            ItemSchemas = tuple?.Select(t => LoadSchema(t, document)).ToList() ?? [],
            PermitsAdditionalItems = additional is not JsonValue v || !v.TryGetValue<bool>(out var permits) || permits,
            AdditionalItemsSchema = additional is JsonObject ? LoadSchema(additional, document) : null,
            UnevaluatedItems = o.TryGetPropertyValue("unevaluatedItems", out var unevaluated) ? LoadSchema(unevaluated, document) : null,
            MinItems = Count(o, "minItems"),
            MaxItems = Count(o, "maxItems"),
            UniqueItems = o["uniqueItems"] is JsonValue u && u.TryGetValue<bool>(out var unique) && unique,
            MinContains = Count(o, "minContains"),
            MaxContains = Count(o, "maxContains"),
        };
    }

    /// <summary>The schema a <c>$ref</c> names: a pointer into this document, or a referenced document (and a pointer into it).</summary>
    private JsonSchemaNode Resolve(string target, JsonNode document)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var location = hash < 0 ? target : target[..hash];
        var pointer = hash < 0 ? "" : target[(hash + 1)..];
        var referenced = location.Length == 0 ? document : Document(location, document)
            ?? throw new InvalidSchemaException($"Invalid schema: $ref '{target}' names no schema among the references.");
        return LoadSchema(Point(referenced, pointer, target), referenced);
    }

    private JsonNode? Document(string location, JsonNode from)
    {
        if (_documents.TryGetValue(location, out var exact))
        {
            return exact;
        }

        var relative = location.StartsWith("./", StringComparison.Ordinal) ? location[2..] : location;
        if (_documents.TryGetValue(relative, out var found))
        {
            return found;
        }

        // Relative to the $id of the document it is in (or the root's), against the references' names resolved alike.
        foreach (var scope in new[] { from, _root })
        {
            if (BaseOf(scope) is not { } baseUri || !Uri.TryCreate(baseUri, location, out var absolute))
            {
                continue;
            }

            foreach (var (name, document) in _documents)
            {
                if (Uri.TryCreate(baseUri, name, out var named) && named == absolute)
                {
                    return document;
                }
            }
        }

        return null;
    }

    private Uri? BaseOf(JsonNode document) =>
        document is JsonObject o && StringOf(o, _idKeyword) is { } id && Uri.TryCreate(id, UriKind.Absolute, out var uri) ? uri : null;

    private static JsonNode Point(JsonNode document, string pointer, string target)
    {
        var node = document;
        foreach (var token in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(token).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o when o[name] is { } child => child,
                JsonArray a when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count && a[i] is { } item => item,
                _ => throw new InvalidSchemaException($"Invalid schema: $ref '{target}' points at nothing."),
            };
        }

        return node;
    }

    private static Func<JsonSchemaNode> Lazy(Func<JsonSchemaNode> resolve)
    {
        JsonSchemaNode? resolved = null;
        return () => resolved ??= resolve();
    }

    private static string? StringOf(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A non-negative whole number; one beyond what a long holds counts as the largest (no string or array is that long).</summary>
    private static long? Count(JsonObject o, string name) =>
        o[name] is not { } value ? null
        : value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.TryParse(Compact(v), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && n == Math.Floor(n)
            ? (n >= long.MaxValue ? long.MaxValue : (long)n)
            : throw Invalid(name, value);

    /// <summary>A number keyword, compared as Confluent compares it: as a double.</summary>
    private static double? Number(JsonObject o, string name) =>
        o[name] is not { } value ? null
        : value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.TryParse(Compact(v), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? n
            : throw Invalid(name, value);

    private static string? PatternOf(JsonObject o)
    {
        if (StringOf(o, "pattern") is not { } pattern)
        {
            return o.ContainsKey("pattern") ? throw Invalid("pattern", o["pattern"]) : null;
        }

        Regex(pattern);
        return pattern;
    }

    private static Regex Regex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw new InvalidSchemaException($"Invalid schema: pattern '{pattern}' is not a regular expression: {e.Message}", e);
        }
    }

    private static InvalidSchemaException Invalid(string keyword, JsonNode? value) =>
        new($"Invalid schema: {keyword} cannot be {Compact(value)}.");

    /// <summary>A node's compact JSON text, as the registry keeps it.</summary>
    internal static string Compact(JsonNode? node) => node?.ToJsonString(JsonSchemaText.Options) ?? "null";

    private sealed record Common(string Text, string? Id, string? Title, string? Description, string? Default);
}
