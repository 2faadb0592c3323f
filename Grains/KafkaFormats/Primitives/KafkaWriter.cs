using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tributary.Grains.KafkaFormats.Primitives;

/// <summary>
/// Writes Kafka's primitive types to an <see cref="IBufferWriter{T}"/> (a connection's pipe, or a scratch buffer),
/// counting what it wrote.
/// </summary>
public ref struct KafkaWriter(IBufferWriter<byte> output)
{
    private readonly IBufferWriter<byte> _output = output;

    public long Written { get; private set; }

    public void WriteInt8(sbyte value)
    {
        _output.GetSpan(1)[0] = (byte)value;
        Advance(1);
    }

    public void WriteBool(bool value) => WriteInt8(value ? (sbyte)1 : (sbyte)0);

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    public void WriteFloat64(double value)
    {
        BinaryPrimitives.WriteDoubleBigEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    public void WriteUuid(Guid value)
    {
        value.TryWriteBytes(_output.GetSpan(16), bigEndian: true, out _);
        Advance(16);
    }

    public void WriteUnsignedVarint(uint value)
    {
        var span = _output.GetSpan(5);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        Advance(i);
    }

    public void WriteString(string? value, bool compact)
    {
        if (value is null)
        {
            WriteNullLength(compact, bytes: false);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (compact)
        {
            WriteUnsignedVarint((uint)length + 1);
        }
        else
        {
            WriteInt16(checked((short)length));
        }

        Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
        Advance(length);
    }

    public void WriteBytes(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is not { } bytes)
        {
            WriteNullLength(compact, bytes: true);
            return;
        }

        if (compact)
        {
            WriteUnsignedVarint((uint)bytes.Length + 1);
        }
        else
        {
            WriteInt32(bytes.Length);
        }

        WriteRaw(bytes.Span);
    }

    public void WriteArrayLength(int count, bool compact)
    {
        if (compact)
        {
            WriteUnsignedVarint((uint)(count + 1));
        }
        else
        {
            WriteInt32(count);
        }
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        // Large payloads (record batches) may not fit one span of the output: copy them in pieces.
        while (!bytes.IsEmpty)
        {
            var span = _output.GetSpan(Math.Min(bytes.Length, 64 * 1024));
            var n = Math.Min(span.Length, bytes.Length);
            bytes[..n].CopyTo(span);
            Advance(n);
            bytes = bytes[n..];
        }
    }

    private void WriteNullLength(bool compact, bool bytes)
    {
        if (compact)
        {
            WriteUnsignedVarint(0);
        }
        else if (bytes)
        {
            WriteInt32(-1);
        }
        else
        {
            WriteInt16(-1);
        }
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        Written += count;
    }
}
