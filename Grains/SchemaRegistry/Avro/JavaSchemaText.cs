using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tributary.Grains.SchemaRegistry.Avro;

/// <summary>
/// An Avro schema's JSON as Java Avro's <c>Schema.toString()</c> writes it, which is the text Confluent's registry
/// stores and returns: compact, attributes in Java's order (a named type's <c>type</c>, <c>name</c>,
/// <c>namespace</c> where it differs from the enclosing one, <c>doc</c>, then <c>fields</c>, <c>symbols</c> and
/// <c>default</c>, or <c>size</c>, then other properties, then <c>aliases</c>; a field's <c>name</c>, <c>type</c>,
/// <c>doc</c>, <c>default</c>, <c>order</c> when not ascending, <c>aliases</c>, other properties), primitives without
/// properties as bare names, references to named types by the shortest name that resolves, the attributes Java drops
/// (a <c>doc</c> on an array, say) dropped, numbers as Jackson writes them. Clients that compare schema strings with
/// what a Confluent registry answers depend on it.
/// </summary>
/// <remarks>
/// It reads the submitted JSON, not a parsed model, so that property order and default values stay as written (Java
/// keeps both as parsed); the schema must already have parsed as valid Avro. Named types of other schemas (references)
/// stay names, as Confluent writes a schema that uses references.
/// </remarks>
public static class JavaSchemaText
{
    private static readonly HashSet<string> Primitives = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

    // Java's JsonProperties reserved names: what a schema or field keeps as its own attributes, not as properties.
    private static readonly HashSet<string> SchemaReserved = ["doc", "fields", "items", "name", "namespace", "size", "symbols", "values", "type", "aliases"];
    private static readonly HashSet<string> EnumReserved = [.. SchemaReserved, "default"];
    private static readonly HashSet<string> FieldReserved = ["default", "doc", "name", "order", "type", "aliases"];

    public static string Of(string schemaJson)
    {
        using var document = JsonDocument.Parse(schemaJson, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = AvroJson.MaxJsonDepth });
        var text = new StringBuilder(schemaJson.Length);
        WriteSchema(text, document.RootElement, space: null);
        return text.ToString();
    }

    private static void WriteSchema(StringBuilder text, JsonElement schema, string? space)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(text, ReferenceName(schema.GetString()!, space));
                return;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var branch in schema.EnumerateArray())
                {
                    Separate(text, ref first);
                    WriteSchema(text, branch, space);
                }

                text.Append(']');
                return;
            case JsonValueKind.Object:
                WriteObject(text, schema, space);
                return;
            default:
                throw new InvalidSchemaException($"Invalid schema: {schema.ValueKind} is not an Avro type.");
        }
    }

    private static void WriteObject(StringBuilder text, JsonElement schema, string? space)
    {
        if (!schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            // {"type": {...}} or {"type": [...]}: the inner schema is the type.
            WriteSchema(text, type, space);
            return;
        }

        var name = type.GetString()!;
        switch (name)
        {
            case "record" or "error" or "enum" or "fixed":
                WriteNamed(text, schema, name, space);
                return;
            case "array":
                text.Append("{\"type\":\"array\",\"items\":");
                WriteSchema(text, schema.GetProperty("items"), space);
                WriteProperties(text, schema, SchemaReserved);
                text.Append('}');
                return;
            case "map":
                text.Append("{\"type\":\"map\",\"values\":");
                WriteSchema(text, schema.GetProperty("values"), space);
                WriteProperties(text, schema, SchemaReserved);
                text.Append('}');
                return;
            default:
                if (!Primitives.Contains(name))
                {
                    // A named type referred to in object form: Java answers the named type.
                    WriteString(text, ReferenceName(name, space));
                }
                else if (schema.EnumerateObject().Any(p => !SchemaReserved.Contains(p.Name)))
                {
                    text.Append("{\"type\":");
                    WriteString(text, name);
                    WriteProperties(text, schema, SchemaReserved);
                    text.Append('}');
                }
                else
                {
                    WriteString(text, name);
                }

                return;
        }
    }

    private static void WriteNamed(StringBuilder text, JsonElement schema, string kind, string? enclosing)
    {
        var fullName = schema.GetProperty("name").GetString()!;
        var dot = fullName.LastIndexOf('.');
        var simpleName = dot < 0 ? fullName : fullName[(dot + 1)..];
        var space = dot >= 0 ? fullName[..dot]
            : schema.TryGetProperty("namespace", out var ns) && ns.ValueKind == JsonValueKind.String ? ns.GetString()
            : enclosing;
        if (space?.Length == 0)
        {
            space = null;
        }

        text.Append("{\"type\":");
        WriteString(text, kind);
        text.Append(",\"name\":");
        WriteString(text, simpleName);
        if (space is not null ? space != enclosing : enclosing is not null)
        {
            text.Append(",\"namespace\":");
            WriteString(text, space ?? "");
        }

        if (schema.TryGetProperty("doc", out var doc) && doc.ValueKind == JsonValueKind.String)
        {
            text.Append(",\"doc\":");
            WriteString(text, doc.GetString()!);
        }

        switch (kind)
        {
            case "record" or "error":
                text.Append(",\"fields\":[");
                var first = true;
                foreach (var field in schema.GetProperty("fields").EnumerateArray())
                {
                    Separate(text, ref first);
                    WriteField(text, field, space);
                }

                text.Append(']');
                WriteProperties(text, schema, SchemaReserved);
                break;
            case "enum":
                text.Append(",\"symbols\":");
                WriteJson(text, schema.GetProperty("symbols"));
                if (schema.TryGetProperty("default", out var symbol) && symbol.ValueKind == JsonValueKind.String)
                {
                    text.Append(",\"default\":");
                    WriteString(text, symbol.GetString()!);
                }

                WriteProperties(text, schema, EnumReserved);
                break;
            default:
                text.Append(",\"size\":");
                WriteJson(text, schema.GetProperty("size"));
                WriteProperties(text, schema, SchemaReserved);
                break;
        }

        WriteAliases(text, schema, alias => ReferenceName(alias, space));
        text.Append('}');
    }

    private static void WriteField(StringBuilder text, JsonElement field, string? space)
    {
        text.Append("{\"name\":");
        WriteString(text, field.GetProperty("name").GetString()!);
        text.Append(",\"type\":");
        WriteSchema(text, field.GetProperty("type"), space);
        if (field.TryGetProperty("doc", out var doc) && doc.ValueKind == JsonValueKind.String)
        {
            text.Append(",\"doc\":");
            WriteString(text, doc.GetString()!);
        }

        if (field.TryGetProperty("default", out var defaultValue))
        {
            text.Append(",\"default\":");
            WriteJson(text, defaultValue);
        }

        if (field.TryGetProperty("order", out var order) && order.ValueKind == JsonValueKind.String
            && !string.Equals(order.GetString(), "ascending", StringComparison.OrdinalIgnoreCase))
        {
            text.Append(",\"order\":");
            WriteString(text, order.GetString()!.ToLowerInvariant());
        }

        WriteAliases(text, field, alias => alias);
        WriteProperties(text, field, FieldReserved);
        text.Append('}');
    }

    /// <summary>Aliases as a set in the order given, as Java keeps them; omitted when there are none.</summary>
    private static void WriteAliases(StringBuilder text, JsonElement owner, Func<string, string> written)
    {
        if (!owner.TryGetProperty("aliases", out var aliases) || aliases.ValueKind != JsonValueKind.Array || aliases.GetArrayLength() == 0)
        {
            return;
        }

        text.Append(",\"aliases\":[");
        var first = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alias in aliases.EnumerateArray().Select(a => written(a.GetString()!)).Where(seen.Add))
        {
            Separate(text, ref first);
            WriteString(text, alias);
        }

        text.Append(']');
    }

    private static void WriteProperties(StringBuilder text, JsonElement owner, HashSet<string> reserved)
    {
        // Java keeps properties in a map: a name given twice keeps its first place and its last value.
        var properties = new List<string>();
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in owner.EnumerateObject().Where(p => !reserved.Contains(p.Name)))
        {
            if (!values.ContainsKey(property.Name))
            {
                properties.Add(property.Name);
            }

            values[property.Name] = property.Value;
        }

        foreach (var name in properties)
        {
            text.Append(',');
            WriteString(text, name);
            text.Append(':');
            WriteJson(text, values[name]);
        }
    }

    /// <summary>
    /// A name as Java writes a reference: the simple name when it is in the namespace in force (or has none), else the
    /// full name.
    /// </summary>
    private static string ReferenceName(string name, string? space)
    {
        var dot = name.LastIndexOf('.');
        return dot >= 0 && space is not null && string.Equals(name[..dot], space, StringComparison.Ordinal) ? name[(dot + 1)..] : name;
    }

    /// <summary>A JSON value as Jackson writes the tree it parsed: compact, objects in order, numbers as Java prints them.</summary>
    private static void WriteJson(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var firstProperty = true;
                foreach (var property in value.EnumerateObject())
                {
                    Separate(text, ref firstProperty);
                    WriteString(text, property.Name);
                    text.Append(':');
                    WriteJson(text, property.Value);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    Separate(text, ref firstItem);
                    WriteJson(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                text.Append(JavaNumber(value.GetRawText()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    /// <summary>
    /// A JSON number as Jackson writes the node it parsed: integers as integers, numbers with a fraction or an
    /// exponent as Java's <c>Double.toString</c> (<c>1.0</c>, <c>0.001</c>, <c>1.0E7</c>, <c>1.5E-5</c>).
    /// </summary>
    internal static string JavaNumber(string raw)
    {
        if (!raw.Contains('.') && !raw.Contains('e') && !raw.Contains('E'))
        {
            return System.Numerics.BigInteger.Parse(raw, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        var number = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (number == 0)
        {
            return double.IsNegative(number) ? "-0.0" : "0.0";
        }

        // The shortest digits that round-trip, then Java's layout of them.
        var (digits, exponent) = Digits(number.ToString("R", CultureInfo.InvariantCulture));
        var sign = number < 0 ? "-" : "";
        var magnitude = Math.Abs(number);
        if (magnitude >= 1e-3 && magnitude < 1e7)
        {
            var point = exponent + 1;
            var whole = point <= 0 ? "0" : digits.PadRight(point, '0')[..point];
            var fraction = point <= 0 ? new string('0', -point) + digits : digits.Length > point ? digits[point..] : "";
            return $"{sign}{whole}.{(fraction.Length == 0 ? "0" : fraction)}";
        }

        var rest = digits.Length > 1 ? digits[1..] : "0";
        return $"{sign}{digits[0]}.{rest}E{exponent.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The significant digits of a number's text ("0.001", "1.5E-05", "123.25"), and the power of ten of the first one.</summary>
    private static (string Digits, int Exponent) Digits(string number)
    {
        var text = number.TrimStart('-');
        var scale = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            scale = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var all = whole + (point < 0 ? "" : text[(point + 1)..]);
        var first = 0;
        while (first < all.Length - 1 && all[first] == '0')
        {
            first++;
        }

        var digits = all[first..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, whole.Length - 1 - first + scale);
    }

    /// <summary>A JSON string as Jackson escapes it: quotes, backslashes and control characters; nothing else.</summary>
    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }

    private static void Separate(StringBuilder text, ref bool first)
    {
        if (!first)
        {
            text.Append(',');
        }

        first = false;
    }
}
