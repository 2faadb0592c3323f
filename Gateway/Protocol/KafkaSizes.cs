using System.Text;

namespace Tributary.Gateway.Protocol;

/// <summary>
/// The encoded sizes of Kafka's variable-length primitives, exactly as <see cref="Grains.KafkaFormats.Primitives.KafkaWriter"/>
/// writes them: the generated <c>Size(version)</c> methods add these up.
/// </summary>
public static class KafkaSizes
{
    public static int UnsignedVarint(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    /// <summary>A string: its length (int16, or compact length + 1) and its UTF-8 bytes; null is the length alone.</summary>
    public static int String(string? value, bool compact)
    {
        if (value is null)
        {
            return compact ? 1 : 2;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        return (compact ? UnsignedVarint((uint)length + 1) : 2) + length;
    }

    /// <summary>Bytes (and records): their length (int32, or compact length + 1) and the bytes; null is the length alone.</summary>
    public static int Bytes(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is not { } bytes)
        {
            return compact ? 1 : 4;
        }

        return (compact ? UnsignedVarint((uint)bytes.Length + 1) : 4) + bytes.Length;
    }

    /// <summary>An array's length (int32, or compact count + 1); <paramref name="count"/> -1 for null.</summary>
    public static int ArrayLength(int count, bool compact) => compact ? UnsignedVarint((uint)(count + 1)) : 4;
}
