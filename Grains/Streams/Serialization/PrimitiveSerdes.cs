using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;

namespace Tributary.Grains.Streams.Serialization;

// Kafka's primitive serdes, byte for byte: UTF-8 strings, big-endian integers and IEEE-754 doubles, so that a
// topic written by a Java Streams application reads here and the other way round.

/// <summary>UTF-8 text (Kafka's StringSerde).</summary>
public sealed class StringSerde : Serde<string>
{
    public override byte[] Serialize(string topic, string data, Headers? headers) => Encoding.UTF8.GetBytes(data);

    public override string Deserialize(string topic, byte[] data, Headers? headers) => Encoding.UTF8.GetString(data);
}

/// <summary>A value of a fixed number of bytes; any other length is refused.</summary>
public abstract class FixedSizeSerde<T>(int size) : Serde<T>
{
    public override byte[] Serialize(string topic, T data, Headers? headers)
    {
        var bytes = new byte[size];
        Write(bytes, data);
        return bytes;
    }

    public override T Deserialize(string topic, byte[] data, Headers? headers) =>
        data.Length == size
            ? Read(data)
            : throw new SerializationException($"Size of data received by {GetType().Name} is {data.Length}, not {size}");

    protected abstract void Write(Span<byte> destination, T value);

    protected abstract T Read(ReadOnlySpan<byte> source);
}

/// <summary>A 4-byte big-endian integer (Kafka's IntegerSerde).</summary>
public sealed class Int32Serde() : FixedSizeSerde<int>(4)
{
    protected override void Write(Span<byte> destination, int value) => BinaryPrimitives.WriteInt32BigEndian(destination, value);

    protected override int Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt32BigEndian(source);
}

/// <summary>An 8-byte big-endian integer (Kafka's LongSerde).</summary>
public sealed class Int64Serde() : FixedSizeSerde<long>(8)
{
    protected override void Write(Span<byte> destination, long value) => BinaryPrimitives.WriteInt64BigEndian(destination, value);

    protected override long Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt64BigEndian(source);
}

/// <summary>An 8-byte big-endian IEEE-754 double (Kafka's DoubleSerde).</summary>
public sealed class DoubleSerde() : FixedSizeSerde<double>(8)
{
    protected override void Write(Span<byte> destination, double value) => BinaryPrimitives.WriteDoubleBigEndian(destination, value);

    protected override double Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadDoubleBigEndian(source);
}

/// <summary>The bytes as they are (Kafka's ByteArraySerde).</summary>
public sealed class ByteArraySerde : Serde<byte[]>
{
    public override byte[] Serialize(string topic, byte[] data, Headers? headers) => data;

    public override byte[] Deserialize(string topic, byte[] data, Headers? headers) => data;
}
