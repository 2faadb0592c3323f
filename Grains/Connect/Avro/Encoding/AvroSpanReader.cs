using System.Buffers.Binary;
using AvroException = global::Avro.AvroException;

namespace Tributary.Grains.Connect.Avro.Encoding;

/// <summary>
/// Avro's binary encoding read from memory: zig-zag varints, little-endian floats, length-prefixed bytes and strings.
/// Malformed input (a varint too long, a length beyond the input, a boolean that is neither 0 nor 1) is an
/// <see cref="AvroException"/>, as Apache.Avro's decoder reports it.
/// </summary>
internal ref struct AvroSpanReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public long ReadLong()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(value >> 1) ^ -(long)(value & 1);
            }
        }

        throw new AvroException("Invalid long: more than ten bytes of a varint");
    }

    public int ReadInt() => (int)ReadLong();

    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var other => throw new AvroException("Not a boolean value in the stream: " + other),
    };

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public byte[] ReadBytes() => Take(Length()).ToArray();

    public string ReadString() => System.Text.Encoding.UTF8.GetString(Take(Length()));

    private int Length()
    {
        var length = ReadLong();
        return length < 0 || length > _data.Length - _position
            ? throw new AvroException($"Invalid length {length}: {_data.Length - _position} bytes of input are left")
            : (int)length;
    }

    private byte ReadByte() =>
        _position < _data.Length ? _data[_position++] : throw new AvroException("End of stream reached");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new AvroException("End of stream reached");
        }

        var taken = _data.Slice(_position, count);
        _position += count;
        return taken;
    }
}
