using System.Buffers.Binary;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;

namespace Tributary.Grains.Connect.Converters.Primitives;

/// <summary>Kafka's <c>ShortConverter</c>: a big-endian int16.</summary>
[ConnectPlugin("org.apache.kafka.connect.converters.ShortConverter")]
public sealed class ShortConverter() : NumberConverter<short>("short", Schema.OptionalInt16, 2, "ShortDeserializer")
{
    private protected override void Write(short value, Span<byte> destination) => BinaryPrimitives.WriteInt16BigEndian(destination, value);

    private protected override short Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt16BigEndian(source);
}

/// <summary>Kafka's <c>IntegerConverter</c>: a big-endian int32.</summary>
[ConnectPlugin("org.apache.kafka.connect.converters.IntegerConverter")]
public sealed class IntegerConverter() : NumberConverter<int>("integer", Schema.OptionalInt32, 4, "IntegerDeserializer")
{
    private protected override void Write(int value, Span<byte> destination) => BinaryPrimitives.WriteInt32BigEndian(destination, value);

    private protected override int Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt32BigEndian(source);
}

/// <summary>Kafka's <c>LongConverter</c>: a big-endian int64.</summary>
[ConnectPlugin("org.apache.kafka.connect.converters.LongConverter")]
public sealed class LongConverter() : NumberConverter<long>("long", Schema.OptionalInt64, 8, "LongDeserializer")
{
    private protected override void Write(long value, Span<byte> destination) => BinaryPrimitives.WriteInt64BigEndian(destination, value);

    private protected override long Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt64BigEndian(source);
}

/// <summary>Kafka's <c>FloatConverter</c>: the big-endian IEEE-754 bits of a float32, NaN payloads kept.</summary>
[ConnectPlugin("org.apache.kafka.connect.converters.FloatConverter")]
public sealed class FloatConverter() : NumberConverter<float>("float", Schema.OptionalFloat32, 4, "Deserializer")
{
    private protected override void Write(float value, Span<byte> destination) => BinaryPrimitives.WriteSingleBigEndian(destination, value);

    private protected override float Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadSingleBigEndian(source);
}

/// <summary>
/// Kafka's <c>DoubleConverter</c>: the big-endian IEEE-754 bits of a float64. Kafka's serializer folds every NaN into
/// the canonical one (<c>doubleToLongBits</c>), so this does too.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.converters.DoubleConverter")]
public sealed class DoubleConverter() : NumberConverter<double>("double", Schema.OptionalFloat64, 8, "Deserializer")
{
    private protected override void Write(double value, Span<byte> destination) =>
        BinaryPrimitives.WriteInt64BigEndian(destination, double.IsNaN(value) ? 0x7ff8000000000000L : BitConverter.DoubleToInt64Bits(value));

    private protected override double Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadDoubleBigEndian(source);
}
