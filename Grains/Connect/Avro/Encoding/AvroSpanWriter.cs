using System.Buffers;
using System.Buffers.Binary;

namespace Tributary.Grains.Connect.Avro.Encoding;

/// <summary>
/// Avro's binary encoding written into a buffer the caller gives (typically on the stack), moving to one rented from
/// the shared pool when a value outgrows it: zig-zag varints, little-endian floats, length-prefixed bytes and strings.
/// <see cref="Dispose"/> returns a rented buffer.
/// </summary>
internal ref struct AvroSpanWriter(Span<byte> initial)
{
    private Span<byte> _buffer = initial;
    private byte[]? _rented;
    private int _position;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    public void WriteLong(long value)
    {
        Ensure(10);
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        while (zigzag >= 0x80)
        {
            _buffer[_position++] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }

        _buffer[_position++] = (byte)zigzag;
    }

    public void WriteInt(int value) => WriteLong(value);

    public void WriteBoolean(bool value)
    {
        Ensure(1);
        _buffer[_position++] = value ? (byte)1 : (byte)0;
    }

    public void WriteFloat(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer[_position..], value);
        _position += 4;
    }

    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer[_position..], value);
        _position += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }

    public void WriteString(string value)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteLong(length);
        Ensure(length);
        _position += System.Text.Encoding.UTF8.GetBytes(value, _buffer[_position..]);
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _position >= count)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
        _buffer[.._position].CopyTo(larger);
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }

        _rented = larger;
        _buffer = larger;
    }
}
