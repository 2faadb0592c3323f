using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>
/// The files a schema may import: its references by name (each with their own references), and the files every
/// Confluent registry knows without a reference. protobuf-net.Reflection carries Google's well-known types
/// (<c>google/protobuf/*.proto</c>) and most of Google's common types (<c>google/type/*.proto</c>) itself; the common
/// types it lacks (decimal, interval, localized_text, phone_number), which Confluent's registry knows from Google's
/// common protos, and Confluent's own <c>confluent/meta.proto</c>, <c>confluent/type/decimal.proto</c> and
/// <c>confluent/type/variant.proto</c> are declared here, with the field numbers and names their users' code has.
/// </summary>
internal sealed class ProtobufImports : IFileSystem
{
    /// <summary>The import path the parser is given; every name it asks for is under it.</summary>
    public const string Root = "/imports";

    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<object> _walked = new(ReferenceEqualityComparer.Instance);

    public ProtobufImports(IReadOnlyList<ResolvedReference> references)
    {
        _files["confluent/meta.proto"] = ConfluentMeta;
        _files["confluent/type/decimal.proto"] = ConfluentDecimal;
        _files["confluent/type/variant.proto"] = ConfluentVariant;
        foreach (var (name, text) in CommonTypes)
        {
            _files[name] = text;
        }

        Add(references);
    }

    public bool Exists(string path) => _files.ContainsKey(Relative(path));

    public TextReader? OpenText(string path) => _files.TryGetValue(Relative(path), out var text) ? new StringReader(text) : null;

    /// <summary>Each referenced file by its import name; a list of references shared by several (a diamond) is walked once.</summary>
    private void Add(IReadOnlyList<ResolvedReference> references)
    {
        if (!_walked.Add(references))
        {
            return;
        }

        foreach (var reference in references)
        {
            Add(reference.References);
            // A referenced schema registered as a serialized descriptor is stored as text already; an old one may not be.
            _files[reference.Name] = ProtobufDescriptors.IsSerialized(reference.Schema)
                ? ProtobufText.Print(ProtobufDescriptors.Deserialize(reference.Schema, $"reference '{reference.Name}'"), normalize: false)
                : reference.Schema;
        }
    }

    private static string Relative(string path)
    {
        var name = path.Replace('\\', '/');
        return name.StartsWith(Root + "/", StringComparison.Ordinal) ? name[(Root.Length + 1)..] : name;
    }

    private const string ConfluentVariant = """
        syntax = "proto3";
        package confluent.type;

        option java_package = "io.confluent.protobuf.type";
        option java_multiple_files = true;
        option java_outer_classname = "VariantProto";

        message Variant {
          bytes metadata = 1;
          bytes value = 2;
        }
        """;

    /// <summary>Google's common types that protobuf-net.Reflection does not carry.</summary>
    private static readonly (string Name, string Text)[] CommonTypes =
    [
        ("google/type/decimal.proto", GoogleType("Decimal", "message Decimal {\n  string value = 1;\n}")),
        ("google/type/interval.proto", GoogleType("Interval",
            "message Interval {\n  google.protobuf.Timestamp start_time = 1;\n  google.protobuf.Timestamp end_time = 2;\n}",
            "import \"google/protobuf/timestamp.proto\";\n")),
        ("google/type/localized_text.proto", GoogleType("LocalizedText",
            "message LocalizedText {\n  string text = 1;\n  string language_code = 2;\n}")),
        ("google/type/phone_number.proto", GoogleType("PhoneNumber",
            "message PhoneNumber {\n  message ShortCode {\n    string region_code = 1;\n    string number = 2;\n  }\n" +
            "  oneof kind {\n    string e164_number = 1;\n    ShortCode short_code = 2;\n  }\n  string extension = 3;\n}")),
    ];

    private static string GoogleType(string message, string body, string imports = "") =>
        $"syntax = \"proto3\";\npackage google.type;\n{imports}\noption java_multiple_files = true;\n" +
        $"option java_outer_classname = \"{message}Proto\";\noption java_package = \"com.google.type\";\n\n{body}\n";

    private const string ConfluentMeta = """
        syntax = "proto3";
        package confluent;

        import "google/protobuf/descriptor.proto";

        option go_package = "github.com/confluentinc/schema-registry/confluent/meta";
        option java_package = "io.confluent.protobuf";
        option java_outer_classname = "MetaProto";

        message Meta {
          string doc = 1;
          map<string, string> params = 2;
          repeated string tags = 3;
        }

        extend google.protobuf.FileOptions {
          Meta file_meta = 1088;
        }
        extend google.protobuf.MessageOptions {
          Meta message_meta = 1088;
        }
        extend google.protobuf.FieldOptions {
          Meta field_meta = 1088;
        }
        extend google.protobuf.EnumOptions {
          Meta enum_meta = 1088;
        }
        extend google.protobuf.EnumValueOptions {
          Meta enum_value_meta = 1088;
        }
        """;

    private const string ConfluentDecimal = """
        syntax = "proto3";
        package confluent.type;

        option go_package = "github.com/confluentinc/schema-registry/confluent/type/decimal";
        option java_package = "io.confluent.protobuf.type";
        option java_outer_classname = "DecimalProto";

        message Decimal {
          bytes value = 1;
          uint32 precision = 2;
          int32 scale = 3;
        }
        """;
}
