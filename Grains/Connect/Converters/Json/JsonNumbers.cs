using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Text;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// JSON numbers read as Jackson reads them for Kafka (with <c>USE_BIG_DECIMAL_FOR_FLOATS</c>): a token without
/// fraction or exponent is integral (an int node when it fits 32 bits), any other is an exact decimal; narrowing
/// to an integer truncates the fraction and keeps the low-order bits, as Java's casts do.
/// </summary>
internal static class JsonNumbers
{
    public static bool IsIntegral(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0;

    /// <summary>Jackson's <c>isInt()</c>: integral and within 32 bits.</summary>
    public static bool IsInt(JsonElement value) => IsIntegral(value) && value.TryGetInt32(out _);

    public static int Int32(JsonElement value) => unchecked((int)LowBits(value));

    public static long Int64(JsonElement value) => LowBits(value);

    public static double Double(JsonElement value) => double.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static float Float(JsonElement value) => float.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The number's exact unscaled digits and scale, as Java's <c>BigDecimal</c> of the token.</summary>
    public static (BigInteger Unscaled, int Scale) Exact(JsonElement value) => Exact(value.GetRawText());

    public static (BigInteger Unscaled, int Scale) Exact(string token) =>
        JavaDecimal.TryParse(token, out var unscaled, out var scale)
            ? (unscaled, scale)
            : throw new DataException("Number out of range: " + token);

    /// <summary>Jackson's name of a node's type, as Kafka's messages print it.</summary>
    public static string NodeType(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Undefined => "MISSING",
        JsonValueKind.Object => "OBJECT",
        JsonValueKind.Array => "ARRAY",
        JsonValueKind.String => "STRING",
        JsonValueKind.Number => "NUMBER",
        JsonValueKind.True or JsonValueKind.False => "BOOLEAN",
        _ => "NULL",
    };

    private static long LowBits(JsonElement value)
    {
        if (value.TryGetInt64(out var small) && IsIntegral(value))
        {
            return small;
        }

        var (unscaled, scale) = Exact(value);
        if (scale <= -64 || unscaled.IsZero || (scale > 0 && scale > BigInteger.Abs(unscaled).GetBitLength() / 3 + 1))
        {
            // 10^64 has 64 factors of two, so nothing reaches the low 64 bits; and a scale beyond the digits leaves no
            // integer part. Either way spare computing a huge power of ten.
            return 0;
        }

        var integer = scale <= 0 ? unscaled * BigInteger.Pow(10, -scale) : BigInteger.Divide(unscaled, BigInteger.Pow(10, scale));
        return unchecked((long)(ulong)(integer & ulong.MaxValue));
    }
}
