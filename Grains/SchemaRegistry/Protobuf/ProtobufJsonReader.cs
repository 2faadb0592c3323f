using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>
/// A message's binary encoding read into Protobuf's JSON mapping, by its descriptor: fields under their JSON names,
/// 64-bit integers as strings, enums by name, bytes in base64, maps as objects, Timestamp, Duration and the wrapper
/// types in their JSON forms; fields the descriptor does not know are skipped. Malformed bytes throw <see cref="FormatException"/>.
/// In the rule form, fields are under their .proto names and 64-bit integers and enums are numbers.
/// </summary>
internal sealed class ProtobufJsonReader(ProtobufTypes types, bool ruleForm = false)
{
    private const int MaxDepth = 100;

    public string Read(string typeName, ReadOnlyMemory<byte> bytes)
    {
        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            WriteMessage(Message(typeName), bytes, json, 0);
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    private ProtobufMessage Message(string typeName) =>
        types.Message(typeName) ?? throw new FormatException($"Unknown message type {typeName}");

    private void WriteMessage(ProtobufMessage message, ReadOnlyMemory<byte> bytes, Utf8JsonWriter json, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"The value nests deeper than {MaxDepth} messages.");
        }

        if (WellKnown(message, bytes, json))
        {
            return;
        }

        // Repeated fields may arrive as several entries (and packed runs): gathered by field, in first-seen order.
        var values = new Dictionary<FieldDescriptorProto, List<ProtobufWireValue>>();
        var reader = new ProtobufWireReader(bytes.ToArray());
        while (reader.TryReadField(out var number, out var value))
        {
            if (message.Descriptor.Fields.FirstOrDefault(f => f.Number == number) is { } field)
            {
                (values.TryGetValue(field, out var list) ? list : values[field] = []).Add(value);
            }
        }

        json.WriteStartObject();
        foreach (var (field, list) in values)
        {
            json.WritePropertyName(ruleForm ? field.Name : string.IsNullOrEmpty(field.JsonName) ? ProtobufText.DefaultJsonName(field.Name) : field.JsonName);
            if (field.label != FieldDescriptorProto.Label.LabelRepeated)
            {
                WriteValue(field, list[^1], json, depth);
            }
            else if (types.Message(field.TypeName)?.Descriptor is { Options.MapEntry: true } entry)
            {
                WriteMap(entry, list, json, depth);
            }
            else
            {
                json.WriteStartArray();
                foreach (var value in list)
                {
                    if (value.WireType == 2 && field.type is not (FieldDescriptorProto.Type.TypeString or FieldDescriptorProto.Type.TypeBytes or FieldDescriptorProto.Type.TypeMessage))
                    {
                        WritePacked(field, value.Bytes, json);
                    }
                    else
                    {
                        WriteValue(field, value, json, depth);
                    }
                }

                json.WriteEndArray();
            }
        }

        json.WriteEndObject();
    }

    private void WriteMap(DescriptorProto entry, List<ProtobufWireValue> entries, Utf8JsonWriter json, int depth)
    {
        var keyField = entry.Fields.First(f => f.Number == 1);
        var valueField = entry.Fields.First(f => f.Number == 2);
        json.WriteStartObject();
        foreach (var item in entries)
        {
            ProtobufWireValue? key = null, value = null;
            var reader = new ProtobufWireReader(item.Bytes.ToArray());
            while (reader.TryReadField(out var number, out var part))
            {
                (key, value) = number == 1 ? (part, value) : number == 2 ? (key, part) : (key, value);
            }

            json.WritePropertyName(key is { } k
                ? keyField.type == FieldDescriptorProto.Type.TypeString ? Encoding.UTF8.GetString(k.Bytes.Span) : ProtobufWireValue.Scalar(keyField.type, k)
                : keyField.type == FieldDescriptorProto.Type.TypeString ? "" : keyField.type == FieldDescriptorProto.Type.TypeBool ? "false" : "0");
            if (value is { } v)
            {
                WriteValue(valueField, v, json, depth);
            }
            else
            {
                json.WriteNullValue();
            }
        }

        json.WriteEndObject();
    }

    private void WritePacked(FieldDescriptorProto field, ReadOnlyMemory<byte> bytes, Utf8JsonWriter json)
    {
        var span = bytes.Span;
        var position = 0;
        while (position < span.Length)
        {
            ProtobufWireValue value;
            switch (field.type)
            {
                case FieldDescriptorProto.Type.TypeDouble or FieldDescriptorProto.Type.TypeFixed64 or FieldDescriptorProto.Type.TypeSfixed64:
                    value = new ProtobufWireValue(1, BinaryPrimitives.ReadUInt64LittleEndian(span[position..]), default);
                    position += 8;
                    break;
                case FieldDescriptorProto.Type.TypeFloat or FieldDescriptorProto.Type.TypeFixed32 or FieldDescriptorProto.Type.TypeSfixed32:
                    value = new ProtobufWireValue(5, BinaryPrimitives.ReadUInt32LittleEndian(span[position..]), default);
                    position += 4;
                    break;
                default:
                    if (!ProtobufWireReader.TryReadVarint(span, ref position, out var varint))
                    {
                        throw new FormatException($"A packed {field.Name} ends inside a varint.");
                    }

                    value = new ProtobufWireValue(0, varint, default);
                    break;
            }

            WriteValue(field, value, json, 0);
        }
    }

    private void WriteValue(FieldDescriptorProto field, ProtobufWireValue value, Utf8JsonWriter json, int depth)
    {
        switch (field.type)
        {
            case FieldDescriptorProto.Type.TypeMessage:
                WriteMessage(Message(field.TypeName), value.Bytes, json, depth + 1);
                break;
            case FieldDescriptorProto.Type.TypeString:
                json.WriteStringValue(Encoding.UTF8.GetString(value.Bytes.Span));
                break;
            case FieldDescriptorProto.Type.TypeBytes:
                json.WriteBase64StringValue(value.Bytes.Span);
                break;
            case FieldDescriptorProto.Type.TypeBool:
                json.WriteBooleanValue(value.Number != 0);
                break;
            case FieldDescriptorProto.Type.TypeEnum:
                var name = ruleForm ? null : types.Enum(field.TypeName)?.Descriptor.Values.FirstOrDefault(v => v.Number == (int)value.Number)?.Name;
                if (name is null)
                {
                    json.WriteNumberValue((int)value.Number);
                }
                else
                {
                    json.WriteStringValue(name);
                }

                break;
            case FieldDescriptorProto.Type.TypeInt64 or FieldDescriptorProto.Type.TypeUint64 or FieldDescriptorProto.Type.TypeSint64
                or FieldDescriptorProto.Type.TypeFixed64 or FieldDescriptorProto.Type.TypeSfixed64:
                if (ruleForm)
                {
                    json.WriteRawValue(ProtobufWireValue.Scalar(field.type, value));
                }
                else
                {
                    json.WriteStringValue(ProtobufWireValue.Scalar(field.type, value));
                }

                break;
            case FieldDescriptorProto.Type.TypeDouble or FieldDescriptorProto.Type.TypeFloat:
                var number = field.type == FieldDescriptorProto.Type.TypeDouble ? BitConverter.Int64BitsToDouble((long)value.Number) : BitConverter.Int32BitsToSingle((int)value.Number);
                if (double.IsFinite(number))
                {
                    json.WriteNumberValue(number);
                }
                else
                {
                    json.WriteStringValue(double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
                }

                break;
            case FieldDescriptorProto.Type.TypeGroup:
                json.WriteNullValue();
                break;
            default:
                json.WriteRawValue(ProtobufWireValue.Scalar(field.type, value));
                break;
        }
    }

    /// <summary>Timestamp, Duration and the wrappers in their JSON forms; false for any other message.</summary>
    private bool WellKnown(ProtobufMessage message, ReadOnlyMemory<byte> bytes, Utf8JsonWriter json)
    {
        if (!message.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal))
        {
            return false;
        }

        switch (message.FullName)
        {
            case "google.protobuf.Timestamp":
                var (seconds, nanos) = SecondsAndNanos(bytes);
                json.WriteStringValue(DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(nanos / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                return true;
            case "google.protobuf.Duration":
                var (s, n) = SecondsAndNanos(bytes);
                json.WriteStringValue((s + n / 1_000_000_000m).ToString(CultureInfo.InvariantCulture) + "s");
                return true;
            case var name when ProtobufTypes.IsWrapper(name):
                var field = message.Descriptor.Fields.First(f => f.Number == 1);
                var reader = new ProtobufWireReader(bytes.ToArray());
                ProtobufWireValue? found = null;
                while (reader.TryReadField(out var number, out var value))
                {
                    found = number == 1 ? value : found;
                }

                if (found is { } present)
                {
                    WriteValue(field, present, json, 0);
                }
                else
                {
                    // An absent value is the type's default.
                    json.WriteRawValue(field.type switch
                    {
                        FieldDescriptorProto.Type.TypeString or FieldDescriptorProto.Type.TypeBytes => "\"\"",
                        FieldDescriptorProto.Type.TypeBool => "false",
                        FieldDescriptorProto.Type.TypeInt64 or FieldDescriptorProto.Type.TypeUint64 => "\"0\"",
                        _ => "0",
                    });
                }

                return true;
            default:
                return false;
        }
    }

    private static (long Seconds, long Nanos) SecondsAndNanos(ReadOnlyMemory<byte> bytes)
    {
        long seconds = 0, nanos = 0;
        var reader = new ProtobufWireReader(bytes.ToArray());
        while (reader.TryReadField(out var number, out var value))
        {
            (seconds, nanos) = number == 1 ? ((long)value.Number, nanos) : number == 2 ? (seconds, (int)value.Number) : (seconds, nanos);
        }

        return (seconds, nanos);
    }
}
