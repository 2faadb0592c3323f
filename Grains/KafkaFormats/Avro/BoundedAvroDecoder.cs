using System.Buffers;
using System.Text;
using Avro;
using Avro.IO;
using AvroDecoder = Avro.IO.Decoder;

namespace Tributary.Grains.KafkaFormats.Avro;

/// <summary>
/// Apache.Avro's <see cref="BinaryDecoder"/> over input held in memory, with what a length or count read from the input
/// may make a reader allocate bounded by the input itself. Apache.Avro allocates a byte array of a length it reads before
/// reading its bytes, and sizes an array to a block's count before reading its items: six bytes could ask for two
/// gigabytes. Here bytes and strings may be no longer than the input left, and array and map items are taken from an
/// <see cref="AvroItemBudget"/>. What it refuses is an <see cref="AvroException"/>, as other malformed data is.
/// </summary>
public sealed class BoundedAvroDecoder : AvroDecoder
{
    private readonly MemoryStream _input;
    private readonly BinaryDecoder _inner;
    private readonly AvroItemBudget _items;

    /// <summary>Reads <paramref name="input"/> from its position; items come from <paramref name="items"/>, or a budget of its own.</summary>
    public BoundedAvroDecoder(MemoryStream input, AvroItemBudget? items = null)
    {
        _input = input;
        _inner = new BinaryDecoder(input);
        _items = items ?? new AvroItemBudget(input.Length - input.Position);
    }

    public byte[] ReadBytes()
    {
        var buffer = new byte[Length(_inner.ReadLong())];
        _inner.ReadFixed(buffer);
        return buffer;
    }

    public string ReadString()
    {
        var length = Length(_inner.ReadLong());
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            _inner.ReadFixed(buffer, 0, length);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public long ReadArrayStart() => _items.Take(_inner.ReadArrayStart());

    public long ReadArrayNext() => _items.Take(_inner.ReadArrayNext());

    public long ReadMapStart() => _items.Take(_inner.ReadMapStart());

    public long ReadMapNext() => _items.Take(_inner.ReadMapNext());

    public void ReadNull() => _inner.ReadNull();

    public bool ReadBoolean() => _inner.ReadBoolean();

    public int ReadInt() => _inner.ReadInt();

    public long ReadLong() => _inner.ReadLong();

    public float ReadFloat() => _inner.ReadFloat();

    public double ReadDouble() => _inner.ReadDouble();

    public int ReadEnum() => _inner.ReadEnum();

    public int ReadUnionIndex() => _inner.ReadUnionIndex();

    public void ReadFixed(byte[] buffer) => _inner.ReadFixed(buffer);

    public void ReadFixed(byte[] buffer, int start, int length) => _inner.ReadFixed(buffer, start, length);

    public void SkipNull() => _inner.SkipNull();

    public void SkipBoolean() => _inner.SkipBoolean();

    public void SkipInt() => _inner.SkipInt();

    public void SkipLong() => _inner.SkipLong();

    public void SkipFloat() => _inner.SkipFloat();

    public void SkipDouble() => _inner.SkipDouble();

    public void SkipBytes() => _inner.SkipBytes();

    public void SkipString() => _inner.SkipString();

    public void SkipEnum() => _inner.SkipEnum();

    public void SkipUnionIndex() => _inner.SkipUnionIndex();

    public void SkipFixed(int len) => _inner.SkipFixed(len);

    /// <summary>A length read from the input, refused when negative or longer than the input left.</summary>
    private int Length(long length)
    {
        var left = _input.Length - _input.Position;
        if (length < 0 || length > left)
        {
            throw new AvroException($"A length of {length} bytes where {left} are left.");
        }

        return (int)length;
    }
}
