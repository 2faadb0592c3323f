using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>A message type with where it was declared: its file's syntax decides what an unlabelled field means.</summary>
internal sealed record ProtobufMessage(string FullName, DescriptorProto Descriptor, FileDescriptorProto File)
{
    public bool IsProto3 => File.Syntax == "proto3";
}

/// <summary>An enum type with where it was declared.</summary>
internal sealed record ProtobufEnum(string FullName, EnumDescriptorProto Descriptor, FileDescriptorProto File);

/// <summary>
/// Every message, enum and extension of a set of parsed files, by full name (without the leading dot that resolved
/// type names carry): what printing options and comparing named types look things up in.
/// </summary>
internal sealed class ProtobufTypes
{
    private readonly Dictionary<string, ProtobufMessage> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProtobufEnum> _enums = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Extendee, int Number), (string FullName, FieldDescriptorProto Field)> _extensions = [];

    public ProtobufTypes(IEnumerable<FileDescriptorProto> files)
    {
        foreach (var file in files)
        {
            var scope = string.IsNullOrEmpty(file.Package) ? "" : file.Package + ".";
            AddExtensions(scope, file.Extensions);
            foreach (var message in file.MessageTypes)
            {
                AddMessage(scope, message, file);
            }

            foreach (var type in file.EnumTypes)
            {
                _enums[scope + type.Name] = new ProtobufEnum(scope + type.Name, type, file);
            }
        }
    }

    public ProtobufMessage? Message(string typeName) => _messages.GetValueOrDefault(Strip(typeName));

    public ProtobufEnum? Enum(string typeName) => _enums.GetValueOrDefault(Strip(typeName));

    /// <summary>The extension of <paramref name="extendee"/> (a full name) with field number <paramref name="number"/>.</summary>
    public (string FullName, FieldDescriptorProto Field)? Extension(string extendee, int number) =>
        _extensions.TryGetValue((Strip(extendee), number), out var found) ? found : null;

    public static string Strip(string typeName) => typeName.StartsWith('.') ? typeName[1..] : typeName;

    /// <summary>Whether a message is one of the well-known wrappers (<c>google.protobuf.Int32Value</c>, ...), JSON's plain values.</summary>
    public static bool IsWrapper(string fullName) => fullName is "google.protobuf.DoubleValue" or "google.protobuf.FloatValue"
        or "google.protobuf.Int64Value" or "google.protobuf.UInt64Value" or "google.protobuf.Int32Value" or "google.protobuf.UInt32Value"
        or "google.protobuf.BoolValue" or "google.protobuf.StringValue" or "google.protobuf.BytesValue";

    private void AddMessage(string scope, DescriptorProto message, FileDescriptorProto file)
    {
        var fullName = scope + message.Name;
        _messages[fullName] = new ProtobufMessage(fullName, message, file);
        AddExtensions(fullName + ".", message.Extensions);
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(fullName + ".", nested, file);
        }

        foreach (var type in message.EnumTypes)
        {
            _enums[fullName + "." + type.Name] = new ProtobufEnum(fullName + "." + type.Name, type, file);
        }
    }

    private void AddExtensions(string scope, List<FieldDescriptorProto> extensions)
    {
        foreach (var extension in extensions)
        {
            _extensions[(Strip(extension.Extendee), extension.Number)] = (scope + extension.Name, extension);
        }
    }
}
