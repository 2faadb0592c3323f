using System.Buffers.Binary;
using System.Text;

namespace Tributary.Grains.KafkaFormats.Primitives;

/// <summary>
/// Reads Kafka's primitive types from one whole frame held in memory. Every read checks that the bytes are there
/// and throws <see cref="MalformedRequestException"/> otherwise, so a truncated or lying frame is rejected, never
/// misread. Byte and record fields come back as slices of the frame, not copies.
/// </summary>
public ref struct KafkaReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public KafkaReader(ReadOnlyMemory<byte> memory)
    {
        _memory = memory;
        _span = memory.Span;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _span.Length - _position;

    public readonly bool IsAtEnd => _position == _span.Length;

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public bool ReadBool() => Take(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    public uint ReadUnsignedVarint()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (shift == 28 && b > 0x0F)
                {
                    break;
                }

                return value;
            }
        }

        throw new MalformedRequestException("Unsigned varint is longer than 5 bytes.");
    }

    /// <summary>A string: int16 length (non-flexible) or unsigned varint length + 1 (compact). Null when allowed.</summary>
    public string? ReadString(bool compact, bool nullable)
    {
        var length = compact ? (int)ReadUnsignedVarint() - 1 : ReadInt16();
        if (length < 0)
        {
            return NullOrThrow<string>(nullable, "string");
        }

        return Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>Bytes: int32 length (non-flexible) or unsigned varint length + 1 (compact); a slice of the frame.</summary>
    public ReadOnlyMemory<byte>? ReadBytes(bool compact, bool nullable)
    {
        var length = compact ? (long)ReadUnsignedVarint() - 1 : ReadInt32();
        if (length < 0)
        {
            return NullOrThrow<ReadOnlyMemory<byte>>(nullable, "bytes");
        }

        if (length > Remaining)
        {
            throw MalformedRequestException.Truncated((int)Math.Min(length, int.MaxValue), Remaining);
        }

        var slice = _memory.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    /// <summary>An array's element count: int32 (non-flexible) or unsigned varint count + 1 (compact); -1 for null.</summary>
    public int ReadArrayLength(bool compact, bool nullable)
    {
        var count = compact ? (long)ReadUnsignedVarint() - 1 : ReadInt32();
        if (count < 0)
        {
            return nullable ? -1 : throw new MalformedRequestException("Null array where none is allowed.");
        }

        // Every element takes at least one byte: a count beyond the bytes left is a lie, not a reason to allocate.
        if (count > Remaining)
        {
            throw new MalformedRequestException($"Array of {count} elements in {Remaining} bytes.");
        }

        return (int)count;
    }

    /// <summary>A reader over the next <paramref name="length"/> bytes (a tagged field's value), which it then skips.</summary>
    public KafkaReader Slice(int length)
    {
        var slice = new KafkaReader(_memory.Slice(_position, CheckAvailable(length)));
        _position += length;
        return slice;
    }

    public void Skip(int length) => _position += CheckAvailable(length);

    private ReadOnlySpan<byte> Take(int length)
    {
        var span = _span.Slice(_position, CheckAvailable(length));
        _position += length;
        return span;
    }

    private readonly int CheckAvailable(int length)
    {
        if (length < 0 || length > Remaining)
        {
            throw MalformedRequestException.Truncated(length, Remaining);
        }

        return length;
    }

    private static T? NullOrThrow<T>(bool nullable, string what) =>
        nullable ? default : throw new MalformedRequestException($"Null {what} where none is allowed.");
}
