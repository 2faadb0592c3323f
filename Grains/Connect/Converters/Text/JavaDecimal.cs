using System.Globalization;
using System.Numerics;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// Java's <c>new BigDecimal(String)</c> grammar: an optional sign, digits with at most one point (at least one digit),
/// and an optional exponent <c>e</c>/<c>E</c> with its own sign. Yields the exact unscaled value and scale.
/// </summary>
internal static class JavaDecimal
{
    public static bool TryParse(string text, out BigInteger unscaled, out int scale)
    {
        unscaled = BigInteger.Zero;
        scale = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }

        var digits = new System.Text.StringBuilder();
        var fractionDigits = 0;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
                if (seenPoint)
                {
                    fractionDigits++;
                }
            }
            else if (c == '.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                break;
            }
        }

        if (digits.Length == 0)
        {
            return false;
        }

        long exponent = 0;
        if (i < text.Length)
        {
            if (text[i] is not ('e' or 'E') || i + 1 == text.Length ||
                !long.TryParse(text.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) ||
                !char.IsAsciiDigit(text[^1]))
            {
                return false;
            }
        }

        var newScale = fractionDigits - exponent;
        if (newScale is > int.MaxValue or < int.MinValue)
        {
            return false;
        }

        unscaled = BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        if (negative)
        {
            unscaled = -unscaled;
        }

        scale = (int)newScale;
        return true;
    }

    /// <summary>
    /// <paramref name="unscaled"/> × 10^-<paramref name="scale"/> as a decimal, or a <see cref="DataException"/> when it
    /// does not fit; extreme scales are settled up front so that no huge power of ten is ever computed.
    /// </summary>
    public static decimal ToDecimal(BigInteger unscaled, int scale)
    {
        if (unscaled.IsZero)
        {
            return LogicalTypes.ToDecimal(unscaled, Math.Clamp(scale, 0, 28));
        }

        if (scale < -28 || scale > 28 + BigInteger.Abs(unscaled).GetBitLength())
        {
            throw new DataException($"Decimal value {unscaled}E{-(long)scale} does not fit a 28-digit decimal");
        }

        return LogicalTypes.ToDecimal(unscaled, scale);
    }
}
