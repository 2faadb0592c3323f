using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>
/// Protobuf values as JSON: written as the schema's first message (message indexes [0], one zero byte, as Confluent's
/// serializers write them), read as the message the indexes name.
/// </summary>
internal static class ProtobufValues
{
    /// <summary>How many message indexes a value may give: deeper than any nesting the registry takes.</summary>
    private const int MaxIndexes = 128;

    public static byte[] Encode(ProtobufParsedSchema schema, string json)
    {
        var first = schema.File.MessageTypes.FirstOrDefault() ?? throw new FormatException("The schema has no message.");
        using var document = JsonDocument.Parse(json);
        var body = new ProtobufJsonWriter(schema.Types).Write(Qualified(schema.File, first.Name), document.RootElement);
        var bytes = new byte[body.Length + 1];
        body.CopyTo(bytes, 1);
        return bytes;
    }

    /// <param name="ruleForm">
    /// The form rules see a message in, as Confluent's CEL executor sees a Protobuf message: fields under their .proto
    /// names, 64-bit integers and enums as numbers (instead of Protobuf's JSON mapping).
    /// </param>
    public static string Decode(ProtobufParsedSchema schema, ReadOnlyMemory<byte> payload, bool ruleForm = false)
    {
        var span = payload.Span;
        var position = 0;
        var count = ZigZag(span, ref position);
        if (count < 0 || count > MaxIndexes)
        {
            throw new FormatException($"Invalid message index count {count}.");
        }

        var indexes = new int[Math.Max(count, 1)];
        for (var i = 0; i < count; i++)
        {
            indexes[i] = ZigZag(span, ref position);
        }

        var messages = schema.File.MessageTypes;
        var name = schema.File.Package is { Length: > 0 } package ? package : "";
        DescriptorProto? message = null;
        foreach (var index in indexes)
        {
            if (index < 0 || index >= messages.Count)
            {
                throw new FormatException($"Message index {index} is not in the schema.");
            }

            message = messages[index];
            name = name.Length == 0 ? message.Name : $"{name}.{message.Name}";
            messages = message.NestedTypes;
        }

        return new ProtobufJsonReader(schema.Types, ruleForm).Read(name, payload[position..]);
    }

    private static string Qualified(FileDescriptorProto file, string name) => file.Package is { Length: > 0 } package ? $"{package}.{name}" : name;

    private static int ZigZag(ReadOnlySpan<byte> span, ref int position)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new FormatException("The value ends inside its message indexes.");
            }

            var b = span[position++];
            value |= (uint)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return (int)(value >> 1) ^ -(int)(value & 1);
            }
        }

        throw new FormatException("A message index is not a varint.");
    }
}
