using System.Globalization;
using System.Numerics;
using System.Text;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Api.Text;

/// <summary>
/// Numbers written exactly as Java writes them, because Kafka's JSON and string forms are Java's <c>toString</c>:
/// <c>Double.toString</c> and <c>Float.toString</c> (JDK 19+: the shortest digits that read back to the same value,
/// plain between 10^-3 and 10^7, else <c>1.0E10</c> style) and <c>BigDecimal.toString</c> (plain unless the adjusted
/// exponent is below -6). .NET's round-trip formatting yields the same shortest digits; this class only lays them out.
/// </summary>
public static class JavaNumberFormat
{
    public static string Double(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (digits, exponent) = ShortestDigits(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        if (digits.Length == 1 && Math.Abs(value) < 2.2250738585072014E-308)
        {
            (digits, exponent) = ClosestOfOneOrTwoDigits(digits, exponent, Math.Abs(value), static s => double.Parse(s, CultureInfo.InvariantCulture), ExactDouble);
        }

        return Layout(value < 0, digits, exponent);
    }

    public static string Float(float value)
    {
        if (float.IsNaN(value))
        {
            return "NaN";
        }

        if (float.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return float.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (digits, exponent) = ShortestDigits(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        if (digits.Length == 1 && Math.Abs(value) < 1.17549435E-38f)
        {
            (digits, exponent) = ClosestOfOneOrTwoDigits(digits, exponent, Math.Abs(value), static s => float.Parse(s, CultureInfo.InvariantCulture), static f => ExactDouble(f));
        }

        return Layout(value < 0, digits, exponent);
    }

    /// <summary>Java's <c>BigDecimal.toString()</c> of a decimal with the same unscaled value and scale.</summary>
    public static string Decimal(decimal value) => BigDecimal(LogicalTypes.UnscaledOf(value), value.Scale);

    /// <summary>Java's <c>BigDecimal.toString()</c> of <paramref name="unscaled"/> × 10^-<paramref name="scale"/>.</summary>
    public static string BigDecimal(BigInteger unscaled, int scale)
    {
        var negative = unscaled.Sign < 0;
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale == 0)
        {
            return (negative ? "-" : "") + digits;
        }

        var adjusted = -(long)scale + (digits.Length - 1);
        var text = new StringBuilder();
        if (negative)
        {
            text.Append('-');
        }

        if (scale > 0 && adjusted >= -6)
        {
            var point = digits.Length - scale;
            if (point > 0)
            {
                text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
            }
            else
            {
                text.Append("0.").Append('0', -point).Append(digits);
            }

            return text.ToString();
        }

        text.Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits, 1, digits.Length - 1);
        }

        if (adjusted != 0)
        {
            text.Append('E').Append(adjusted > 0 ? "+" : "").Append(adjusted.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Significant digits and the exponent of the first of them (value = d.ddd × 10^exponent) of .NET's "R" text.</summary>
    private static (string Digits, int Exponent) ShortestDigits(string roundTrip)
    {
        var mantissa = roundTrip;
        var exponent = 0;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = roundTrip[..e];
            exponent = int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var point = mantissa.IndexOf('.');
        var integerDigits = point < 0 ? mantissa.Length : point;
        var all = mantissa.Replace(".", "", StringComparison.Ordinal);
        var leadingZeros = 0;
        while (leadingZeros < all.Length - 1 && all[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        var significant = all[leadingZeros..].TrimEnd('0');
        if (significant.Length == 0)
        {
            significant = "0";
        }

        return (significant, exponent + integerDigits - 1 - leadingZeros);
    }

    /// <summary>
    /// Java 19+ prints at least two digits when one would do but a two-digit decimal lies closer to the value
    /// (<c>Double.MIN_VALUE</c> is <c>4.9E-324</c>, not <c>5E-324</c>); only subnormal values can differ.
    /// </summary>
    private static (string Digits, int Exponent) ClosestOfOneOrTwoDigits<T>(
        string digit, int exponent, T value, Func<string, T> parse, Func<T, (BigInteger Mantissa, int BinaryExponent)> exact)
        where T : IEquatable<T>
    {
        var (mantissa, binaryExponent) = exact(value);
        (string Digits, int Exponent) best = (digit, exponent);
        var floor = exponent - 2;
        var bestDistance = Distance(mantissa, binaryExponent, BigInteger.Parse(digit, CultureInfo.InvariantCulture), exponent, floor);
        foreach (var (n, e) in Candidates(exponent))
        {
            var text = n.ToString(CultureInfo.InvariantCulture) + "E" + (e - 1).ToString(CultureInfo.InvariantCulture);
            if (!parse(text).Equals(value))
            {
                continue;
            }

            var distance = Distance(mantissa, binaryExponent, n, e - 1, floor);
            if (distance < bestDistance)
            {
                best = (n.ToString(CultureInfo.InvariantCulture).TrimEnd('0'), e);
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Two-digit decimals n × 10^(e-1) around d × 10^exponent: n in 10..99 at e = exponent, 90..99 one decade lower.</summary>
    private static IEnumerable<(int N, int E)> Candidates(int exponent)
    {
        for (var n = 10; n <= 99; n++)
        {
            yield return (n, exponent);
        }

        for (var n = 90; n <= 99; n++)
        {
            yield return (n, exponent - 1);
        }
    }

    /// <summary>
    /// |d × 10^e − m × 2^b| times 2^-b × 10^-(floor), a factor common to every candidate of one value, so that the
    /// distances compare exactly in integers. <paramref name="floor"/> is at most every candidate's e, and b and floor
    /// are negative for the subnormals this serves.
    /// </summary>
    private static BigInteger Distance(BigInteger m, int b, BigInteger d, int e, int floor)
    {
        var left = d * BigInteger.Pow(10, e - floor) * BigInteger.Pow(2, Math.Max(0, -b));
        var right = m * BigInteger.Pow(2, Math.Max(0, b)) * BigInteger.Pow(10, Math.Max(0, -floor));
        return BigInteger.Abs(left - right);
    }

    private static (BigInteger Mantissa, int BinaryExponent) ExactDouble(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value) & long.MaxValue;
        var rawExponent = (int)(bits >> 52);
        var fraction = bits & 0xFFFFFFFFFFFFFL;
        return rawExponent == 0 ? (fraction, -1074) : (fraction | (1L << 52), rawExponent - 1075);
    }

    private static string Layout(bool negative, string digits, int exponent)
    {
        var text = new StringBuilder(digits.Length + 8);
        if (negative)
        {
            text.Append('-');
        }

        if (exponent is >= -3 and < 7)
        {
            if (exponent >= 0)
            {
                var integer = exponent + 1;
                if (digits.Length <= integer)
                {
                    text.Append(digits).Append('0', integer - digits.Length).Append(".0");
                }
                else
                {
                    text.Append(digits, 0, integer).Append('.').Append(digits, integer, digits.Length - integer);
                }
            }
            else
            {
                text.Append("0.").Append('0', -exponent - 1).Append(digits);
            }

            return text.ToString();
        }

        text.Append(digits[0]).Append('.');
        text.Append(digits.Length > 1 ? digits[1..] : "0");
        text.Append('E').Append(exponent.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
