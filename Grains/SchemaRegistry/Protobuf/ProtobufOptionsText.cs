using System.Globalization;
using System.Reflection;
using System.Text;
using Google.Protobuf.Reflection;
using ProtoBuf;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>
/// Options as .proto text (<c>name = value</c>): the standard ones from protobuf-net's option classes (their
/// <c>[ProtoMember]</c> names), and custom ones (<c>(full.name) = value</c>) decoded from the options' unknown
/// fields against the extensions the schema and its imports declare. A custom option whose extension is unknown
/// cannot be written as text and is left out; the parser refuses such a schema first.
/// </summary>
internal static class ProtobufOptionsText
{
    public static List<string> Entries(object? options, ProtobufTypes types)
    {
        var entries = new List<string>();
        if (options is null)
        {
            return entries;
        }

        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<ProtoMemberAttribute>() is not { } member
                || member.Name is "uninterpreted_option" or "features" || !IsSet(options, property))
            {
                continue;
            }

            switch (property.GetValue(options))
            {
                // A repeated option is written once per value.
                case System.Collections.IEnumerable list and not string:
                    foreach (var item in list)
                    {
                        if (IsScalar(item))
                        {
                            entries.Add($"{member.Name} = {Standard(item)}");
                        }
                    }

                    break;
                case { } value when IsScalar(value):
                    entries.Add($"{member.Name} = {Standard(value)}");
                    break;
            }
        }

        entries.AddRange(Custom(options, ".google.protobuf." + options.GetType().Name, types));
        return entries;
    }

    /// <summary>Whether protobuf-net would write the property: its <c>ShouldSerialize</c> method says so where it has one.</summary>
    private static bool IsSet(object options, PropertyInfo property)
    {
        var should = options.GetType().GetMethod("ShouldSerialize" + property.Name, Type.EmptyTypes);
        if (should is not null)
        {
            return (bool)should.Invoke(options, null)!;
        }

        return property.GetValue(options) switch
        {
            null => false,
            System.Collections.ICollection list => list.Count > 0,
            _ => true,
        };
    }

    /// <summary>Whether a standard option's value is written here: message-valued ones (feature sets) are not.</summary>
    private static bool IsScalar(object? value) => value is bool or string or Enum or IFormattable;

    private static string Standard(object value) => value switch
    {
        bool b => b ? "true" : "false",
        string s => Quote(s),
        Enum e => e.GetType().GetField(e.ToString())?.GetCustomAttribute<ProtoEnumAttribute>()?.Name ?? e.ToString(),
        double d => ProtobufWireValue.FloatText(d),
        float f => ProtobufWireValue.FloatText(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The custom options set on an options message, as protobuf-net keeps them: their wire bytes; null when none.</summary>
    public static byte[]? ExtensionBytes(object? options)
    {
        if (options is not IExtensible extensible || extensible.GetExtensionObject(false) is not { } extension)
        {
            return null;
        }

        var stream = extension.BeginQuery();
        try
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        finally
        {
            extension.EndQuery(stream);
        }
    }

    private static IEnumerable<string> Custom(object options, string optionsType, ProtobufTypes types)
    {
        if (ExtensionBytes(options) is not { } bytes)
        {
            yield break;
        }

        var reader = new ProtobufWireReader(bytes);
        while (reader.TryReadField(out var number, out var value))
        {
            if (types.Extension(optionsType, number) is { } known && (value.WireType == 2) == IsLengthDelimited(known.Field.type))
            {
                yield return $"({known.FullName}) = {Value(known.Field, value, types, 0)}";
            }
        }
    }

    /// <summary>A field's value as text: scalars as the parser reads them, messages in aggregate form <c>{ a: 1 }</c>.</summary>
    private static string Value(FieldDescriptorProto field, ProtobufWireValue value, ProtobufTypes types, int depth)
    {
        switch (field.type)
        {
            case FieldDescriptorProto.Type.TypeString:
                return Quote(Encoding.UTF8.GetString(value.Bytes.Span));
            case FieldDescriptorProto.Type.TypeBytes:
                return QuoteBytes(value.Bytes.Span);
            case FieldDescriptorProto.Type.TypeMessage or FieldDescriptorProto.Type.TypeGroup:
                return Aggregate(field.TypeName, value.Bytes, types, depth + 1);
            case FieldDescriptorProto.Type.TypeEnum:
                var name = types.Enum(field.TypeName)?.Descriptor.Values.FirstOrDefault(v => v.Number == (int)value.Number)?.Name;
                return name ?? ((int)value.Number).ToString(CultureInfo.InvariantCulture);
            default:
                return ProtobufWireValue.Scalar(field.type, value);
        }
    }

    private static string Aggregate(string typeName, ReadOnlyMemory<byte> bytes, ProtobufTypes types, int depth)
    {
        if (depth > MaxAggregateDepth)
        {
            throw new InvalidSchemaException($"Invalid schema: an option's value nests deeper than {MaxAggregateDepth} messages.");
        }

        var message = types.Message(typeName)?.Descriptor;
        var parts = new List<string>();
        var reader = new ProtobufWireReader(bytes);
        while (reader.TryReadField(out var number, out var value))
        {
            if (message?.Fields.FirstOrDefault(f => f.Number == number) is { } field && (value.WireType == 2) == IsLengthDelimited(field.type))
            {
                parts.Add($"{field.Name}: {Value(field, value, types, depth)}");
            }
        }

        return parts.Count == 0 ? "{}" : "{ " + string.Join(" ", parts) + " }";
    }

    /// <summary>How deeply an option's message value may nest: the printer recurses once per level.</summary>
    private const int MaxAggregateDepth = 32;

    private static bool IsLengthDelimited(FieldDescriptorProto.Type type) =>
        type is FieldDescriptorProto.Type.TypeString or FieldDescriptorProto.Type.TypeBytes or FieldDescriptorProto.Type.TypeMessage;

    public static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\{Convert.ToString(c, 8).PadLeft(3, '0')}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    public static string QuoteBytes(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            builder.Append(b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\'
                ? ((char)b).ToString()
                : $"\\{Convert.ToString(b, 8).PadLeft(3, '0')}");
        }

        return builder.Append('"').ToString();
    }
}
