using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>One field's value as the wire carries it: a number (varint or fixed) or length-delimited bytes.</summary>
internal readonly record struct ProtobufWireValue(int WireType, ulong Number, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>A floating-point value as .proto text writes it: <c>inf</c>, <c>-inf</c>, <c>nan</c>, exponents as <c>1e300</c>.</summary>
    public static string FloatText(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e", StringComparison.Ordinal).Replace("E", "e", StringComparison.Ordinal);

    /// <summary>A scalar field's value as .proto text writes it.</summary>
    public static string Scalar(FieldDescriptorProto.Type type, ProtobufWireValue value)
    {
        var n = value.Number;
        return type switch
        {
            FieldDescriptorProto.Type.TypeBool => n != 0 ? "true" : "false",
            FieldDescriptorProto.Type.TypeInt32 or FieldDescriptorProto.Type.TypeSfixed32 => ((int)n).ToString(CultureInfo.InvariantCulture),
            FieldDescriptorProto.Type.TypeInt64 or FieldDescriptorProto.Type.TypeSfixed64 => ((long)n).ToString(CultureInfo.InvariantCulture),
            FieldDescriptorProto.Type.TypeUint32 or FieldDescriptorProto.Type.TypeFixed32 => ((uint)n).ToString(CultureInfo.InvariantCulture),
            FieldDescriptorProto.Type.TypeSint32 => ((int)((uint)n >> 1) ^ -(int)(n & 1)).ToString(CultureInfo.InvariantCulture),
            FieldDescriptorProto.Type.TypeSint64 => ((long)(n >> 1) ^ -(long)(n & 1)).ToString(CultureInfo.InvariantCulture),
            FieldDescriptorProto.Type.TypeFloat => FloatText(BitConverter.Int32BitsToSingle((int)n)),
            FieldDescriptorProto.Type.TypeDouble => FloatText(BitConverter.Int64BitsToDouble((long)n)),
            _ => n.ToString(CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>Reads protobuf wire format field by field; a truncated or malformed field ends the read.</summary>
internal sealed class ProtobufWireReader(ReadOnlyMemory<byte> bytes)
{
    private int _position;

    public bool TryReadField(out int number, out ProtobufWireValue value)
    {
        number = 0;
        value = default;
        if (!TryReadVarint(out var tag))
        {
            return false;
        }

        number = (int)(tag >> 3);
        var wireType = (int)(tag & 7);
        switch (wireType)
        {
            case 0 when TryReadVarint(out var varint):
                value = new ProtobufWireValue(wireType, varint, default);
                return true;
            case 1 when _position + 8 <= bytes.Length:
                value = new ProtobufWireValue(wireType, BinaryPrimitives.ReadUInt64LittleEndian(bytes.Span[_position..]), default);
                _position += 8;
                return true;
            case 5 when _position + 4 <= bytes.Length:
                value = new ProtobufWireValue(wireType, BinaryPrimitives.ReadUInt32LittleEndian(bytes.Span[_position..]), default);
                _position += 4;
                return true;
            case 2 when TryReadVarint(out var length) && length <= (ulong)(bytes.Length - _position):
                value = new ProtobufWireValue(wireType, 0, bytes.Slice(_position, (int)length));
                _position += (int)length;
                return true;
            default:
                return false;
        }
    }

    private bool TryReadVarint(out ulong result) => TryReadVarint(bytes.Span, ref _position, out result);

    /// <summary>A varint at <paramref name="position"/>, which moves past it; false when the bytes end inside one.</summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> span, ref int position, out ulong result)
    {
        result = 0;
        for (var shift = 0; shift < 64 && position < span.Length; shift += 7)
        {
            var b = span[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
