using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>
/// A message in Protobuf's JSON mapping written as the message's binary encoding, by its descriptor: fields by their
/// JSON name or their own, 64-bit integers as numbers or strings, enums by name or number, bytes in base64, repeated
/// fields as arrays (numeric ones packed, as proto3 writes them), maps as objects, and the well-known Timestamp,
/// Duration and wrapper types in their JSON forms. A value that does not fit its field throws <see cref="FormatException"/>.
/// </summary>
internal sealed class ProtobufJsonWriter(ProtobufTypes types)
{
    /// <summary>How deeply messages may nest in one value.</summary>
    private const int MaxDepth = 100;

    public byte[] Write(string typeName, JsonElement json)
    {
        var output = new MemoryStream();
        WriteMessage(Message(typeName), json, output, 0);
        return output.ToArray();
    }

    private ProtobufMessage Message(string typeName) =>
        types.Message(typeName) ?? throw new FormatException($"Unknown message type {typeName}");

    private void WriteMessage(ProtobufMessage message, JsonElement json, Stream output, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"The value nests deeper than {MaxDepth} messages.");
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Expected an object for {message.FullName}, found {json.ValueKind}");
        }

        foreach (var property in json.EnumerateObject())
        {
            var field = message.Descriptor.Fields.FirstOrDefault(f => f.JsonName == property.Name || f.Name == property.Name || ProtobufText.DefaultJsonName(f.Name) == property.Name)
                ?? throw new FormatException($"{message.FullName} has no field {property.Name}");
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            WriteField(field, property.Value, output, depth);
        }
    }

    private void WriteField(FieldDescriptorProto field, JsonElement value, Stream output, int depth)
    {
        if (field.label == FieldDescriptorProto.Label.LabelRepeated)
        {
            if (types.Message(field.TypeName)?.Descriptor is { Options.MapEntry: true } entry)
            {
                WriteMap(field, entry, value, output, depth);
                return;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"Expected an array for {field.Name}");
            }

            if (IsPackable(field.type))
            {
                var packed = new MemoryStream();
                foreach (var item in value.EnumerateArray())
                {
                    WriteScalar(field, item, packed);
                }

                WriteTag(output, field.Number, 2);
                WriteLengthDelimited(output, packed.ToArray());
                return;
            }

            foreach (var item in value.EnumerateArray())
            {
                WriteSingle(field, item, output, depth);
            }

            return;
        }

        WriteSingle(field, value, output, depth);
    }

    private void WriteMap(FieldDescriptorProto field, DescriptorProto entry, JsonElement value, Stream output, int depth)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Expected an object for map {field.Name}");
        }

        var keyField = entry.Fields.First(f => f.Number == 1);
        var valueField = entry.Fields.First(f => f.Number == 2);
        foreach (var pair in value.EnumerateObject())
        {
            var item = new MemoryStream();
            using (var keyJson = JsonDocument.Parse(keyField.type == FieldDescriptorProto.Type.TypeString ? JsonSerializer.Serialize(pair.Name) : pair.Name))
            {
                WriteSingle(keyField, keyJson.RootElement, item, depth);
            }

            WriteSingle(valueField, pair.Value, item, depth);
            WriteTag(output, field.Number, 2);
            WriteLengthDelimited(output, item.ToArray());
        }
    }

    private void WriteSingle(FieldDescriptorProto field, JsonElement value, Stream output, int depth)
    {
        switch (field.type)
        {
            case FieldDescriptorProto.Type.TypeMessage:
                var nested = new MemoryStream();
                WriteNested(Message(field.TypeName), value, nested, depth + 1);
                WriteTag(output, field.Number, 2);
                WriteLengthDelimited(output, nested.ToArray());
                return;
            case FieldDescriptorProto.Type.TypeString:
                WriteTag(output, field.Number, 2);
                WriteLengthDelimited(output, Encoding.UTF8.GetBytes(value.GetString() ?? throw new FormatException($"Expected a string for {field.Name}")));
                return;
            case FieldDescriptorProto.Type.TypeBytes:
                WriteTag(output, field.Number, 2);
                WriteLengthDelimited(output, value.GetBytesFromBase64());
                return;
            case FieldDescriptorProto.Type.TypeGroup:
                throw new FormatException($"Groups are not written from JSON ({field.Name})");
            default:
                WriteTag(output, field.Number, WireType(field.type));
                WriteScalar(field, value, output);
                return;
        }
    }

    /// <summary>A message, or a well-known type in its JSON form.</summary>
    private void WriteNested(ProtobufMessage message, JsonElement value, Stream output, int depth)
    {
        switch (message.FullName)
        {
            case "google.protobuf.Timestamp" when value.ValueKind == JsonValueKind.String:
                var instant = DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                var ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
                WriteSecondsAndNanos(output, Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder), (int)(remainder * 100));
                return;
            case "google.protobuf.Duration" when value.ValueKind == JsonValueKind.String:
                var text = value.GetString()!;
                var seconds = decimal.Parse(text.EndsWith('s') ? text[..^1] : throw new FormatException($"Invalid duration {text}"), CultureInfo.InvariantCulture);
                var whole = decimal.Truncate(seconds);
                WriteSecondsAndNanos(output, (long)whole, (int)((seconds - whole) * 1_000_000_000m));
                return;
            case var name when ProtobufTypes.IsWrapper(name) && value.ValueKind != JsonValueKind.Object:
                WriteSingle(message.Descriptor.Fields.First(f => f.Number == 1), value, output, depth);
                return;
            default:
                WriteMessage(message, value, output, depth);
                return;
        }
    }

    private static void WriteSecondsAndNanos(Stream output, long seconds, int nanos)
    {
        if (seconds != 0)
        {
            WriteTag(output, 1, 0);
            WriteVarint(output, (ulong)seconds);
        }

        if (nanos != 0)
        {
            WriteTag(output, 2, 0);
            WriteVarint(output, (ulong)(long)nanos);
        }
    }

    private void WriteScalar(FieldDescriptorProto field, JsonElement value, Stream output)
    {
        Span<byte> fixedBytes = stackalloc byte[8];
        switch (field.type)
        {
            case FieldDescriptorProto.Type.TypeDouble:
                BinaryPrimitives.WriteDoubleLittleEndian(fixedBytes, Double(value));
                output.Write(fixedBytes[..8]);
                break;
            case FieldDescriptorProto.Type.TypeFloat:
                BinaryPrimitives.WriteSingleLittleEndian(fixedBytes, (float)Double(value));
                output.Write(fixedBytes[..4]);
                break;
            case FieldDescriptorProto.Type.TypeFixed64 or FieldDescriptorProto.Type.TypeSfixed64:
                BinaryPrimitives.WriteInt64LittleEndian(fixedBytes, field.type == FieldDescriptorProto.Type.TypeFixed64 ? (long)UInt64(value) : Int64(value));
                output.Write(fixedBytes[..8]);
                break;
            case FieldDescriptorProto.Type.TypeFixed32 or FieldDescriptorProto.Type.TypeSfixed32:
                BinaryPrimitives.WriteInt32LittleEndian(fixedBytes, field.type == FieldDescriptorProto.Type.TypeFixed32 ? (int)checked((uint)UInt64(value)) : checked((int)Int64(value)));
                output.Write(fixedBytes[..4]);
                break;
            case FieldDescriptorProto.Type.TypeBool:
                WriteVarint(output, value.ValueKind switch
                {
                    JsonValueKind.True => 1UL,
                    JsonValueKind.False => 0UL,
                    _ => throw new FormatException($"Expected a boolean for {field.Name}"),
                });
                break;
            case FieldDescriptorProto.Type.TypeEnum:
                WriteVarint(output, (ulong)(long)EnumNumber(field, value));
                break;
            case FieldDescriptorProto.Type.TypeSint32 or FieldDescriptorProto.Type.TypeSint64:
                var signed = field.type == FieldDescriptorProto.Type.TypeSint32 ? checked((int)Int64(value)) : Int64(value);
                WriteVarint(output, (ulong)((signed << 1) ^ (signed >> 63)));
                break;
            case FieldDescriptorProto.Type.TypeUint32:
                WriteVarint(output, checked((uint)UInt64(value)));
                break;
            case FieldDescriptorProto.Type.TypeUint64:
                WriteVarint(output, UInt64(value));
                break;
            case FieldDescriptorProto.Type.TypeInt32:
                WriteVarint(output, (ulong)checked((int)Int64(value)));
                break;
            case FieldDescriptorProto.Type.TypeInt64:
                WriteVarint(output, (ulong)Int64(value));
                break;
            default:
                throw new FormatException($"Field {field.Name} cannot be packed");
        }
    }

    private int EnumNumber(FieldDescriptorProto field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetInt32();
        }

        var name = value.GetString();
        return types.Enum(field.TypeName)?.Descriptor.Values.FirstOrDefault(v => v.Name == name)?.Number
            ?? throw new FormatException($"{name} is not a value of {field.TypeName}");
    }

    private static double Double(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        }
        : value.GetDouble();

    private static long Int64(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();

    private static ulong UInt64(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? ulong.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetUInt64();

    private static bool IsPackable(FieldDescriptorProto.Type type) =>
        type is not (FieldDescriptorProto.Type.TypeString or FieldDescriptorProto.Type.TypeBytes or FieldDescriptorProto.Type.TypeMessage or FieldDescriptorProto.Type.TypeGroup);

    private static int WireType(FieldDescriptorProto.Type type) => type switch
    {
        FieldDescriptorProto.Type.TypeDouble or FieldDescriptorProto.Type.TypeFixed64 or FieldDescriptorProto.Type.TypeSfixed64 => 1,
        FieldDescriptorProto.Type.TypeFloat or FieldDescriptorProto.Type.TypeFixed32 or FieldDescriptorProto.Type.TypeSfixed32 => 5,
        _ => 0,
    };

    private static void WriteTag(Stream output, int number, int wireType) => WriteVarint(output, ((ulong)number << 3) | (uint)wireType);

    private static void WriteLengthDelimited(Stream output, byte[] bytes)
    {
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    public static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
