namespace Tributary.Grains.Connect.File;

/// <summary>Reads the <c>position</c> of a stored or submitted source offset.</summary>
internal static class SourcePosition
{
    /// <summary>
    /// The position as a long when <paramref name="value"/> is a whole number of an integral type. Kafka insists on
    /// <c>Long</c> because its runtime normalizes JSON numbers to Long; here offsets may arrive as any integral type
    /// depending on how they were deserialized, so every integral type is taken, but never text or fractions.
    /// </summary>
    public static bool TryRead(object? value, out long position)
    {
        switch (value)
        {
            case long l:
                position = l;
                return true;
            case int i:
                position = i;
                return true;
            case short s:
                position = s;
                return true;
            case sbyte sb:
                position = sb;
                return true;
            case byte b:
                position = b;
                return true;
            case ushort us:
                position = us;
                return true;
            case uint ui:
                position = ui;
                return true;
            case ulong ul when ul <= long.MaxValue:
                position = (long)ul;
                return true;
            default:
                position = 0;
                return false;
        }
    }
}
