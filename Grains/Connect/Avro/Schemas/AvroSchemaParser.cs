using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>
/// Reads Avro schema JSON, as the registry returns it, into an <see cref="AvroType"/>: named types are resolved within
/// their namespaces and may be referred to by name after their definition (a record by itself, recursively); every
/// member Avro does not define is kept as a property, in order. Malformed schemas are a <see cref="DataException"/>.
/// </summary>
internal static class AvroSchemaParser
{
    private static readonly HashSet<string> RecordMembers = ["type", "name", "namespace", "doc", "fields", "aliases"];
    private static readonly HashSet<string> EnumMembers = ["type", "name", "namespace", "doc", "symbols", "aliases", "default"];
    private static readonly HashSet<string> FixedMembers = ["type", "name", "namespace", "doc", "size", "aliases"];
    private static readonly HashSet<string> ArrayMembers = ["type", "items"];
    private static readonly HashSet<string> MapMembers = ["type", "values"];
    private static readonly HashSet<string> PrimitiveMembers = ["type"];
    private static readonly HashSet<string> FieldMembers = ["name", "type", "doc", "default", "order", "aliases"];

    public static AvroType Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new DataException("Invalid Avro schema JSON: " + e.Message, e);
        }

        return Parse(node, null, new Dictionary<string, AvroNamed>(StringComparer.Ordinal));
    }

    private static AvroType Parse(JsonNode? node, string? space, Dictionary<string, AvroNamed> names) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var name) => Named(name, space, names),
        JsonArray union => new AvroUnion([.. union.Select(member => Parse(member, space, names))]),
        JsonObject obj => ParseObject(obj, space, names),
        _ => throw new DataException("Invalid Avro schema: " + (node?.ToJsonString() ?? "null")),
    };

    private static AvroType Named(string name, string? space, Dictionary<string, AvroNamed> names)
    {
        if (AvroKinds.Primitive(name) is { } kind)
        {
            return new AvroPrimitive(kind);
        }

        if (!name.Contains('.') && space is not null && names.TryGetValue(space + "." + name, out var inSpace))
        {
            return inSpace;
        }

        return names.TryGetValue(name, out var named) ? named : throw new DataException("Undefined Avro name: " + name);
    }

    private static AvroType ParseObject(JsonObject obj, string? space, Dictionary<string, AvroNamed> names)
    {
        var typeNode = obj["type"];
        if (typeNode is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var typeName))
        {
            // {"type": {...}} or {"type": [...]}: the nested schema is the type.
            return Parse(typeNode, space, names);
        }

        AvroType result;
        HashSet<string> members;
        switch (typeName)
        {
            case "record":
            case "error":
                var (recordSpace, recordName) = NameOf(obj, space);
                var record = new AvroRecord(recordName, recordSpace, Text(obj, "doc"));
                names[record.FullName] = record;
                var fields = obj["fields"] as JsonArray ?? throw new DataException("Avro record without fields: " + record.FullName);
                record.Fields = [.. fields.Select(f => Field(f as JsonObject, record.Namespace, names))];
                result = record;
                members = RecordMembers;
                break;
            case "enum":
                var (enumSpace, enumName) = NameOf(obj, space);
                var symbols = obj["symbols"] as JsonArray ?? throw new DataException("Avro enum without symbols: " + enumName);
                var enumeration = new AvroEnum(enumName, enumSpace, Text(obj, "doc"), [.. symbols.Select(s => s!.GetValue<string>())], Text(obj, "default"));
                names[enumeration.FullName] = enumeration;
                result = enumeration;
                members = EnumMembers;
                break;
            case "fixed":
                var (fixedSpace, fixedName) = NameOf(obj, space);
                var size = obj["size"] is JsonValue sizeValue && sizeValue.TryGetValue<int>(out var n) ? n : throw new DataException("Avro fixed without size: " + fixedName);
                var fixedType = new AvroFixed(fixedName, fixedSpace, Text(obj, "doc"), size);
                names[fixedType.FullName] = fixedType;
                result = fixedType;
                members = FixedMembers;
                break;
            case "array":
                result = new AvroArray(Parse(obj["items"], space, names));
                members = ArrayMembers;
                break;
            case "map":
                result = new AvroMap(Parse(obj["values"], space, names));
                members = MapMembers;
                break;
            default:
                if (AvroKinds.Primitive(typeName) is not { } kind)
                {
                    // {"type": "com.example.Named"}: a reference to a named type, in object form.
                    return Named(typeName, space, names);
                }

                result = new AvroPrimitive(kind);
                members = PrimitiveMembers;
                break;
        }

        AddProps(result.Props, obj, members);
        return result;
    }

    private static AvroField Field(JsonObject? obj, string? space, Dictionary<string, AvroNamed> names)
    {
        if (obj is null || Text(obj, "name") is not { } name)
        {
            throw new DataException("Avro field without a name");
        }

        var hasDefault = obj.TryGetPropertyValue("default", out var defaultValue);
        var field = new AvroField(name, Parse(obj["type"], space, names), Text(obj, "doc"), hasDefault, defaultValue, Text(obj, "order") is "ascending" ? null : Text(obj, "order"));
        AddProps(field.Props, obj, FieldMembers);
        return field;
    }

    private static (string? Space, string Name) NameOf(JsonObject obj, string? space)
    {
        var name = Text(obj, "name") ?? throw new DataException("Avro named type without a name");
        var declared = obj.TryGetPropertyValue("namespace", out var ns) ? ns?.GetValue<string>() : space;
        return AvroNamed.Split(name, declared);
    }

    private static string? Text(JsonObject obj, string member) =>
        obj[member] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static void AddProps(AvroProps props, JsonObject obj, HashSet<string> members)
    {
        foreach (var (name, value) in obj)
        {
            if (!members.Contains(name))
            {
                props.Add(name, value?.DeepClone());
            }
        }
    }
}
