using System.Buffers.Binary;
using System.Text;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>
/// Reads the fields <see cref="ProtocolWriter"/> writes from a received message. A field running past the end, or a
/// negative length other than null's −1, is a malformed message (<see cref="InvalidDataException"/>).
/// </summary>
internal sealed class ProtocolReader(ReadOnlyMemory<byte> bytes)
{
    private int _position;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > bytes.Length - _position)
        {
            throw new InvalidDataException($"A field of {count} bytes at {_position} runs past the message's {bytes.Length} bytes");
        }

        var span = bytes.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    public sbyte Int8() => (sbyte)Take(1)[0];

    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public string? String()
    {
        var length = Int16();
        return length == -1 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public string RequiredString() => String() ?? throw new InvalidDataException("A string that may not be null is null");

    public byte[]? Bytes()
    {
        var length = Int32();
        return length == -1 ? null : Take(length).ToArray();
    }

    public IReadOnlyList<T> Array<T>(Func<ProtocolReader, T> read)
    {
        var count = Int32();
        if (count == -1)
        {
            return [];
        }

        if (count < 0 || count > bytes.Length - _position)
        {
            throw new InvalidDataException($"An array of {count} items at {_position} cannot fit in the message's {bytes.Length} bytes");
        }

        var items = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(read(this));
        }

        return items;
    }
}
