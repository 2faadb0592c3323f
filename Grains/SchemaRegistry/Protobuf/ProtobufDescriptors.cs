using Google.Protobuf.Reflection;
using ProtoBuf;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>
/// The serialized form of a schema: a <c>FileDescriptorProto</c> in base64, as Confluent's .NET and JavaScript
/// serializers register schemas and as <c>?format=serialized</c> returns them.
/// </summary>
internal static class ProtobufDescriptors
{
    /// <summary>
    /// Whether <paramref name="schema"/> is base64 rather than .proto text: text always has a space, a semicolon or a
    /// brace, which base64 never does.
    /// </summary>
    public static bool IsSerialized(string schema)
    {
        var text = schema.AsSpan().Trim();
        return text.Length > 0 && text.Length % 4 == 0 && !text.ContainsAnyExcept(Base64Characters);
    }

    public static FileDescriptorProto Deserialize(string schema, string what)
    {
        try
        {
            var bytes = Convert.FromBase64String(schema.Trim());
            ProtobufFormat.CheckNesting(bytes);
            using var stream = new MemoryStream(bytes);
            return Serializer.Deserialize<FileDescriptorProto>(stream);
        }
        catch (Exception e) when (e is FormatException or ProtoException or EndOfStreamException or InvalidOperationException)
        {
            throw new InvalidSchemaException($"Invalid {what}: not a serialized FileDescriptorProto: {e.Message}", e);
        }
    }

    public static string Serialize(FileDescriptorProto file)
    {
        using var stream = new MemoryStream();
        Serializer.Serialize(stream, file);
        return Convert.ToBase64String(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static readonly System.Buffers.SearchValues<char> Base64Characters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
}
