using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>
/// Writes the fields of Kafka's classic (non-flexible) message encoding into a growing buffer: big-endian integers,
/// strings and byte arrays with 16- and 32-bit lengths (−1 for null), arrays with a 32-bit count. The group member
/// speaks only versions of the group APIs from before flexible versions, which every broker since Kafka 2.3 and
/// Kafka 4 still takes.
/// </summary>
internal sealed class ProtocolWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public ProtocolWriter Int8(sbyte value)
    {
        _buffer.GetSpan(1)[0] = (byte)value;
        _buffer.Advance(1);
        return this;
    }

    public ProtocolWriter Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public ProtocolWriter Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public ProtocolWriter Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    /// <summary>A string with a 16-bit length; null as length −1.</summary>
    public ProtocolWriter String(string? value)
    {
        if (value is null)
        {
            return Int16(-1);
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            throw new ArgumentException($"A protocol string is at most {short.MaxValue} bytes long", nameof(value));
        }

        Int16((short)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
        return this;
    }

    /// <summary>Bytes with a 32-bit length; null as length −1.</summary>
    public ProtocolWriter Bytes(ReadOnlySpan<byte> value, bool isNull = false)
    {
        if (isNull)
        {
            return Int32(-1);
        }

        Int32(value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
        return this;
    }

    /// <summary>An array: its count, then each item.</summary>
    public ProtocolWriter Array<T>(IReadOnlyCollection<T> items, Action<ProtocolWriter, T> write)
    {
        Int32(items.Count);
        foreach (var item in items)
        {
            write(this, item);
        }

        return this;
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
