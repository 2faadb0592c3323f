namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// Kafka's zig-zag variable-length integers (protobuf style): up to 5 bytes for an int, 10 for a long.
/// The readers return false on a truncated or over-long encoding instead of throwing, so a validator can
/// reject a malformed record without exceptions on the hot path.
/// </summary>
public static class Varint
{
    public static bool TryReadInt(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        uint raw = 0;
        for (var i = 0; i < 5; i++)
        {
            if (i >= source.Length)
            {
                break;
            }

            var b = source[i];
            raw |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = (int)(raw >> 1) ^ -(int)(raw & 1);
                bytesRead = i + 1;
                return true;
            }
        }

        value = 0;
        bytesRead = 0;
        return false;
    }

    public static bool TryReadLong(ReadOnlySpan<byte> source, out long value, out int bytesRead)
    {
        ulong raw = 0;
        for (var i = 0; i < 10; i++)
        {
            if (i >= source.Length)
            {
                break;
            }

            var b = source[i];
            raw |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = (long)(raw >> 1) ^ -(long)(raw & 1);
                bytesRead = i + 1;
                return true;
            }
        }

        value = 0;
        bytesRead = 0;
        return false;
    }

    public static int SizeOfInt(int value) => SizeOfUnsigned((uint)((value << 1) ^ (value >> 31)));

    public static int SizeOfLong(long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        var size = 1;
        while (raw >= 0x80)
        {
            raw >>= 7;
            size++;
        }

        return size;
    }

    public static int WriteInt(Span<byte> destination, int value) =>
        WriteUnsigned(destination, (uint)((value << 1) ^ (value >> 31)));

    public static int WriteLong(Span<byte> destination, long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        var i = 0;
        while (raw >= 0x80)
        {
            destination[i++] = (byte)(raw | 0x80);
            raw >>= 7;
        }

        destination[i++] = (byte)raw;
        return i;
    }

    private static int SizeOfUnsigned(uint raw)
    {
        var size = 1;
        while (raw >= 0x80)
        {
            raw >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteUnsigned(Span<byte> destination, uint raw)
    {
        var i = 0;
        while (raw >= 0x80)
        {
            destination[i++] = (byte)(raw | 0x80);
            raw >>= 7;
        }

        destination[i++] = (byte)raw;
        return i;
    }
}
