using System.Globalization;
using System.Text;
using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>
/// A parsed file written back as .proto text, without comments, with resolved type names written in full (with
/// their leading dot, so that they mean the same wherever the text is read). This is the text the registry stores for
/// a schema registered as a serialized descriptor, and what identity is compared on. Normalized, the text is put in
/// one order whatever order it was written in, as Confluent normalizes: imports and options sorted by name, fields
/// and enum values by number; messages, enums and services keep their order, which message indexes depend on.
/// </summary>
internal sealed class ProtobufText
{
    private const int MaxFieldNumber = 536_870_911;

    private readonly StringBuilder _text = new();
    private readonly ProtobufTypes _types;
    private readonly bool _normalize;
    private readonly bool _proto3;

    private ProtobufText(FileDescriptorProto file, ProtobufTypes types, bool normalize)
    {
        _types = types;
        _normalize = normalize;
        _proto3 = file.Syntax == "proto3";
    }

    /// <summary>The text of <paramref name="file"/>; custom options are written where <paramref name="types"/> declares them.</summary>
    public static string Print(FileDescriptorProto file, bool normalize, ProtobufTypes? types = null)
    {
        var printer = new ProtobufText(file, types ?? new ProtobufTypes([file]), normalize);
        printer.File(file);
        return printer._text.ToString();
    }

    private void File(FileDescriptorProto file)
    {
        _text.Append("syntax = \"").Append(_proto3 ? "proto3" : "proto2").Append("\";\n");
        if (!string.IsNullOrEmpty(file.Package))
        {
            _text.Append("package ").Append(file.Package).Append(";\n");
        }

        var imports = file.Dependencies.Select((name, i) => (name, kind: file.PublicDependencies.Contains(i) ? "public " : file.WeakDependencies.Contains(i) ? "weak " : ""));
        var importLines = Sorted(imports.Select(d => $"import {d.kind}{ProtobufOptionsText.Quote(d.name)};"), s => s);
        Block(importLines, 0);
        Block(Sorted(ProtobufOptionsText.Entries(file.Options, _types), s => s).Select(o => $"option {o};"), 0);
        foreach (var message in file.MessageTypes)
        {
            _text.Append('\n');
            Message(message, 0);
        }

        foreach (var type in file.EnumTypes)
        {
            _text.Append('\n');
            Enum(type, 0);
        }

        foreach (var service in file.Services)
        {
            _text.Append('\n');
            Service(service);
        }

        Extends(file.Extensions, 0, leadingBlank: true);
    }

    private void Message(DescriptorProto message, int depth)
    {
        Line(depth, $"message {message.Name} {{");
        Body(message, depth + 1);
        Line(depth, "}");
    }

    /// <summary>What a message (or a group) holds between its braces.</summary>
    private void Body(DescriptorProto message, int inner)
    {
        foreach (var option in Sorted(ProtobufOptionsText.Entries(message.Options, _types), s => s))
        {
            Line(inner, $"option {option};");
        }

        var groups = message.Fields.Where(f => f.type == FieldDescriptorProto.Type.TypeGroup).Select(f => Short(f.TypeName)).ToHashSet(StringComparer.Ordinal);
        var printedOneofs = new HashSet<int>();
        foreach (var field in Sorted(message.Fields, f => f.Number))
        {
            if (RealOneof(message, field) is { } oneof)
            {
                if (printedOneofs.Add(oneof))
                {
                    Oneof(message, oneof, inner);
                }

                continue;
            }

            Field(message, field, inner, inOneof: false);
        }

        foreach (var range in message.ReservedRanges)
        {
            Line(inner, $"reserved {Range(range.Start, range.End - 1)};");
        }

        foreach (var name in message.ReservedNames)
        {
            Line(inner, $"reserved {ProtobufOptionsText.Quote(name)};");
        }

        foreach (var range in message.ExtensionRanges)
        {
            Line(inner, $"extensions {Range(range.Start, range.End - 1)};");
        }

        foreach (var nested in message.NestedTypes)
        {
            if (nested.Options?.MapEntry != true && !groups.Contains(nested.Name))
            {
                Message(nested, inner);
            }
        }

        foreach (var type in message.EnumTypes)
        {
            Enum(type, inner);
        }

        Extends(message.Extensions, inner, leadingBlank: false);
    }

    /// <summary>The oneof a field is in, unless it is the synthetic one of a proto3 <c>optional</c> field.</summary>
    private static int? RealOneof(DescriptorProto message, FieldDescriptorProto field) =>
        field.ShouldSerializeOneofIndex() && !field.Proto3Optional && field.OneofIndex < message.OneofDecls.Count ? field.OneofIndex : null;

    private void Oneof(DescriptorProto message, int index, int depth)
    {
        var oneof = message.OneofDecls[index];
        Line(depth, $"oneof {oneof.Name} {{");
        foreach (var option in Sorted(ProtobufOptionsText.Entries(oneof.Options, _types), s => s))
        {
            Line(depth + 1, $"option {option};");
        }

        foreach (var field in Sorted(message.Fields.Where(f => RealOneof(message, f) == index), f => f.Number))
        {
            Field(message, field, depth + 1, inOneof: true);
        }

        Line(depth, "}");
    }

    private void Field(DescriptorProto message, FieldDescriptorProto field, int depth, bool inOneof)
    {
        var options = FieldOptions(field);
        var suffix = options.Count == 0 ? "" : $" [{string.Join(", ", options)}]";
        if (MapEntry(message, field) is { } entry)
        {
            Line(depth, $"map<{TypeOf(entry.Fields.First(f => f.Number == 1))}, {TypeOf(entry.Fields.First(f => f.Number == 2))}> {field.Name} = {field.Number}{suffix};");
            return;
        }

        var label = Label(field, inOneof);
        if (field.type == FieldDescriptorProto.Type.TypeGroup)
        {
            var group = message.NestedTypes.First(n => n.Name == Short(field.TypeName));
            Line(depth, $"{label}group {group.Name} = {field.Number}{suffix} {{");
            Body(group, depth + 1);
            Line(depth, "}");
            return;
        }

        Line(depth, $"{label}{TypeOf(field)} {field.Name} = {field.Number}{suffix};");
    }

    private string Label(FieldDescriptorProto field, bool inOneof) => field.label switch
    {
        _ when inOneof => "",
        FieldDescriptorProto.Label.LabelRepeated => "repeated ",
        FieldDescriptorProto.Label.LabelRequired => "required ",
        _ when field.Proto3Optional || !_proto3 => "optional ",
        _ => "",
    };

    private DescriptorProto? MapEntry(DescriptorProto message, FieldDescriptorProto field) =>
        field is { type: FieldDescriptorProto.Type.TypeMessage, label: FieldDescriptorProto.Label.LabelRepeated }
            ? _types.Message(field.TypeName)?.Descriptor is { Options.MapEntry: true } entry ? entry : message.NestedTypes.FirstOrDefault(n => n.Name == Short(field.TypeName) && n.Options?.MapEntry == true)
            : null;

    private List<string> FieldOptions(FieldDescriptorProto field)
    {
        var options = new List<string>();
        if (field.ShouldSerializeDefaultValue())
        {
            options.Add($"default = {DefaultValue(field)}");
        }

        if (field.ShouldSerializeJsonName() && field.JsonName != DefaultJsonName(field.Name))
        {
            options.Add($"json_name = {ProtobufOptionsText.Quote(field.JsonName)}");
        }

        options.AddRange(Sorted(ProtobufOptionsText.Entries(field.Options, _types), s => s));
        return options;
    }

    private static string DefaultValue(FieldDescriptorProto field) => field.type switch
    {
        FieldDescriptorProto.Type.TypeString => ProtobufOptionsText.Quote(field.DefaultValue),
        // A bytes default is kept C-escaped in the descriptor, as it is written.
        FieldDescriptorProto.Type.TypeBytes => "\"" + field.DefaultValue + "\"",
        _ => field.DefaultValue,
    };

    /// <summary>protoc's JSON name: underscores dropped, each letter after one upper-cased.</summary>
    public static string DefaultJsonName(string name)
    {
        var builder = new StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    private static string TypeOf(FieldDescriptorProto field) =>
        field.type is FieldDescriptorProto.Type.TypeMessage or FieldDescriptorProto.Type.TypeEnum or FieldDescriptorProto.Type.TypeGroup
            ? field.TypeName
            : ProtobufScalars.Keyword(field.type);

    private void Enum(EnumDescriptorProto type, int depth)
    {
        Line(depth, $"enum {type.Name} {{");
        foreach (var option in Sorted(ProtobufOptionsText.Entries(type.Options, _types), s => s))
        {
            Line(depth + 1, $"option {option};");
        }

        foreach (var value in Sorted(type.Values, v => v.Number))
        {
            var options = Sorted(ProtobufOptionsText.Entries(value.Options, _types), s => s).ToList();
            var suffix = options.Count == 0 ? "" : $" [{string.Join(", ", options)}]";
            Line(depth + 1, $"{value.Name} = {value.Number.ToString(CultureInfo.InvariantCulture)}{suffix};");
        }

        foreach (var range in type.ReservedRanges)
        {
            Line(depth + 1, $"reserved {Range(range.Start, range.End, int.MaxValue)};");
        }

        foreach (var name in type.ReservedNames)
        {
            Line(depth + 1, $"reserved {ProtobufOptionsText.Quote(name)};");
        }

        Line(depth, "}");
    }

    private void Service(ServiceDescriptorProto service)
    {
        Line(0, $"service {service.Name} {{");
        foreach (var option in Sorted(ProtobufOptionsText.Entries(service.Options, _types), s => s))
        {
            Line(1, $"option {option};");
        }

        foreach (var method in service.Methods)
        {
            var signature = $"rpc {method.Name} ({(method.ClientStreaming ? "stream " : "")}{method.InputType}) returns ({(method.ServerStreaming ? "stream " : "")}{method.OutputType})";
            var options = Sorted(ProtobufOptionsText.Entries(method.Options, _types), s => s).ToList();
            if (options.Count == 0)
            {
                Line(1, signature + ";");
                continue;
            }

            Line(1, signature + " {");
            foreach (var option in options)
            {
                Line(2, $"option {option};");
            }

            Line(1, "}");
        }

        Line(0, "}");
    }

    private void Extends(List<FieldDescriptorProto> extensions, int depth, bool leadingBlank)
    {
        foreach (var extendee in Sorted(extensions.Select(e => e.Extendee).Distinct(), e => e))
        {
            if (leadingBlank)
            {
                _text.Append('\n');
            }

            Line(depth, $"extend {extendee} {{");
            foreach (var field in Sorted(extensions.Where(e => e.Extendee == extendee), f => f.Number))
            {
                var options = FieldOptions(field);
                var suffix = options.Count == 0 ? "" : $" [{string.Join(", ", options)}]";
                Line(depth + 1, $"{Label(field, inOneof: false)}{TypeOf(field)} {field.Name} = {field.Number}{suffix};");
            }

            Line(depth, "}");
        }
    }

    private void Block(IEnumerable<string> lines, int depth)
    {
        var first = true;
        foreach (var line in lines)
        {
            if (first)
            {
                _text.Append('\n');
                first = false;
            }

            Line(depth, line);
        }
    }

    private void Line(int depth, string line) => _text.Append(' ', depth * 2).Append(line).Append('\n');

    /// <summary>A range, inclusive; its end is written <c>max</c> at the largest number (a field's, or an enum value's).</summary>
    private static string Range(int start, int end, int max = MaxFieldNumber) =>
        start == end ? start.ToString(CultureInfo.InvariantCulture)
        : $"{start.ToString(CultureInfo.InvariantCulture)} to {(end >= max ? "max" : end.ToString(CultureInfo.InvariantCulture))}";

    private static string Short(string typeName) => typeName[(typeName.LastIndexOf('.') + 1)..];

    /// <summary>In declaration order, or sorted by <paramref name="key"/> when normalizing.</summary>
    private IEnumerable<T> Sorted<T, TKey>(IEnumerable<T> items, Func<T, TKey> key) =>
        _normalize ? items.OrderBy(key, typeof(TKey) == typeof(string) ? (IComparer<TKey>)StringComparer.Ordinal : Comparer<TKey>.Default) : items;
}
