using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>A parsed Protobuf schema: its file, and every type it and its imports declare.</summary>
internal sealed class ProtobufParsedSchema(string text, string identity, FileDescriptorProto file, ProtobufTypes types, IReadOnlyDictionary<string, string> sources)
    : ParsedSchema(ProtobufFormat.Name, text, identity)
{
    public FileDescriptorProto File { get; } = file;

    public ProtobufTypes Types { get; } = types;

    /// <summary>
    /// Where a file's types come from: this schema, or a subject and version (a reference); null for the files every
    /// registry knows, whose types are compared wherever they are used.
    /// </summary>
    public string? SourceOf(string fileName) => sources.GetValueOrDefault(fileName);
}

/// <summary>
/// Protobuf (<c>schemaType</c> PROTOBUF), proto2 and proto3, parsed by protobuf-net.Reflection. A schema is .proto text
/// or, as Confluent's serializers register it, a serialized <c>FileDescriptorProto</c> in base64. Imports are the
/// references, by name, besides the files every registry knows (<see cref="ProtobufImports"/>). The stored text is the
/// text given, or for a descriptor the text it prints as; normalized, the normalized print (<see cref="ProtobufText"/>).
/// Identity is the print, so that layout and comments do not make two schemas different, and the references.
/// Compatibility follows Confluent's rules for Protobuf (<see cref="ProtobufSchemaDiff"/>), with its messages.
/// </summary>
public sealed class ProtobufFormat : ISchemaFormat, ISchemaValueCodec
{
    public const string Name = "PROTOBUF";

    /// <summary>The name of the file a schema is parsed as; imports of this name are refused as cycles.</summary>
    private const string MainName = "default";

    /// <summary>How deeply declarations may nest: protobuf-net's parser recurses once per level.</summary>
    private const int MaxNesting = 64;

    public string Type => Name;

    public ParsedSchema Parse(string schema, IReadOnlyList<ResolvedReference> references, bool normalize)
    {
        var imports = new ProtobufImports(references);
        var serialized = ProtobufDescriptors.IsSerialized(schema);
        var text = serialized ? TextOf(ProtobufDescriptors.Deserialize(schema, "schema"), imports) : schema;
        var files = Compile(imports, text);
        var main = files.First(f => f.Name == MainName);
        var types = new ProtobufTypes(files);
        var printed = ProtobufText.Print(main, normalize, types);
        var stored = normalize || serialized ? printed : schema;
        var identityReferences = normalize
            ? references.DistinctBy(r => (r.Name, r.Subject, r.Version)).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Subject, StringComparer.Ordinal).ThenBy(r => r.Version)
            : references.AsEnumerable();
        var identity = $"{Name}|{printed}" + string.Concat(identityReferences.Select(r => $"|{r.Name}={r.Subject}/{r.Version}"));
        var sources = new Dictionary<string, string>(StringComparer.Ordinal) { [MainName] = "" };
        AddSources(references, sources);
        return new ProtobufParsedSchema(stored, identity, main, types, sources);
    }

    public IReadOnlyList<string> CheckCanRead(ParsedSchema reader, ParsedSchema writer, string readerLabel = "reader", string writerLabel = "writer")
    {
        if (reader is not ProtobufParsedSchema update || writer is not ProtobufParsedSchema original)
        {
            return ["Incompatible because of different schema type"];
        }

        return ProtobufSchemaDiff.Compare(original, update).Where(d => !d.IsCompatible).Select(d => d.Message(readerLabel, writerLabel)).ToList();
    }

    /// <summary>Each import's subject version; a list of references shared by several (a diamond) is walked once.</summary>
    private static void AddSources(IReadOnlyList<ResolvedReference> references, Dictionary<string, string> sources, HashSet<object>? walked = null)
    {
        walked ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        if (!walked.Add(references))
        {
            return;
        }

        foreach (var reference in references)
        {
            AddSources(reference.References, sources, walked);
            sources[reference.Name] = $"{reference.Subject}\0{reference.Version}";
        }
    }

    public byte[] Encode(ParsedSchema schema, string json) => ProtobufValues.Encode((ProtobufParsedSchema)schema, json);

    public string Decode(ParsedSchema schema, ReadOnlyMemory<byte> payload) => ProtobufValues.Decode((ProtobufParsedSchema)schema, payload);

    /// <summary>The serialized descriptor of a stored schema, as <c>?format=serialized</c> returns it.</summary>
    public static string Serialized(string schema, IReadOnlyList<ResolvedReference> references)
    {
        var imports = new ProtobufImports(references);
        var text = ProtobufDescriptors.IsSerialized(schema) ? TextOf(ProtobufDescriptors.Deserialize(schema, "schema"), imports) : schema;
        return ProtobufDescriptors.Serialize(Compile(imports, text).First(f => f.Name == MainName));
    }

    /// <summary>A descriptor's text, its custom options written with the extensions its imports declare.</summary>
    private static string TextOf(FileDescriptorProto descriptor, ProtobufImports imports)
    {
        try
        {
            return PrintDescriptor(descriptor, imports);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or NullReferenceException or IndexOutOfRangeException or KeyNotFoundException)
        {
            // A descriptor that does not hold together (a map entry without its value, a group without its type, ...).
            throw new InvalidSchemaException($"Invalid schema: the descriptor is not well formed: {e.Message}", e);
        }
    }

    private static string PrintDescriptor(FileDescriptorProto descriptor, ProtobufImports imports)
    {
        var set = NewSet(imports);
        foreach (var dependency in descriptor.Dependencies)
        {
            if (imports.Exists(dependency))
            {
                set.Add(dependency, includeInOutput: false, imports.OpenText(dependency));
            }
        }

        set.Process();
        return ProtobufText.Print(descriptor, normalize: false, new ProtobufTypes(set.Files.Append(descriptor)));
    }

    private static List<FileDescriptorProto> Compile(ProtobufImports imports, string text)
    {
        CheckNesting(text);
        var set = NewSet(imports);
        set.Add(MainName, includeInOutput: true, new StringReader(text));
        set.Process();
        var error = set.GetErrors().FirstOrDefault(e => e.IsError);
        if (error is not null)
        {
            var where = error.File == MainName ? "" : $" in '{error.File}'";
            throw new InvalidSchemaException($"Invalid schema: {error.Message}{where} at line {error.LineNumber}, column {error.ColumnNumber}");
        }

        return set.Files;
    }

    private static FileDescriptorSet NewSet(ProtobufImports imports)
    {
        var set = new FileDescriptorSet { FileSystem = imports };
        set.AddImportPath(ProtobufImports.Root);
        return set;
    }

    /// <summary>Refuses text whose braces nest deeper than <see cref="MaxNesting"/>, outside strings and comments.</summary>
    private static void CheckNesting(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"' or '\'':
                    var quote = text[i];
                    for (i++; i < text.Length && text[i] != quote; i++)
                    {
                        i += text[i] == '\\' ? 1 : 0;
                    }

                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = text.IndexOf('\n', i) is var end && end < 0 ? text.Length : end;
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '*':
                    i = text.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close && close < 0 ? text.Length : close + 1;
                    break;
                case '{' or '<' or '[' or '(' when ++depth > MaxNesting:
                    throw new InvalidSchemaException($"Invalid schema: declarations nest deeper than {MaxNesting} levels.");
                case '}' or '>' or ']' or ')':
                    // A closer that closes nothing would let the parser, which skips it, nest deeper than counted here.
                    if (--depth < 0)
                    {
                        throw new InvalidSchemaException($"Invalid schema: an unmatched '{text[i]}' at offset {i}.");
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Refuses a serialized descriptor whose messages nest deeper than <see cref="MaxNesting"/>, read from its bytes
    /// before protobuf-net, which recurses once per level, deserializes it.
    /// </summary>
    public static void CheckNesting(ReadOnlyMemory<byte> descriptor) => CheckNestedTypes(descriptor, field: 4, depth: 0);

    /// <summary>The messages in field <paramref name="field"/> (a file's message types, a message's nested types).</summary>
    private static void CheckNestedTypes(ReadOnlyMemory<byte> bytes, int field, int depth)
    {
        if (depth > MaxNesting)
        {
            throw new InvalidSchemaException($"Invalid schema: declarations nest deeper than {MaxNesting} levels.");
        }

        var reader = new ProtobufWireReader(bytes);
        while (reader.TryReadField(out var number, out var value))
        {
            if (number == field && value.WireType == 2)
            {
                CheckNestedTypes(value.Bytes, field: 3, depth + 1);
            }
        }
    }
}
