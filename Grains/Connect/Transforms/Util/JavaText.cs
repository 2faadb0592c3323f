using System.Collections;
using System.Globalization;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// Small pieces of Java behaviour that configurations and values depend on: <c>String.split</c> (which drops trailing
/// empty parts), <c>Double.toString</c>/<c>Float.toString</c> (always a decimal point, scientific notation outside
/// [10^-3, 10^7)), and the Connect type of a schemaless value (<c>ConnectSchema.schemaType</c>).
/// </summary>
public static class JavaText
{
    /// <summary>Splits like Java's <c>String.split</c> with a one-character literal: trailing empty parts are dropped.</summary>
    public static string[] Split(string text, char separator)
    {
        var parts = text.Split(separator);
        var count = parts.Length;
        while (count > 1 && parts[count - 1].Length == 0)
        {
            count--;
        }

        // "".split(":") is [""] in Java, but ":".split(":") is [].
        if (count == 1 && parts[0].Length == 0 && parts.Length > 1)
        {
            count = 0;
        }

        return parts[..count];
    }

    public static string FormatDouble(double value) =>
        FormatFloating(value, Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));

    public static string FormatFloat(float value) =>
        FormatFloating(value, Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A scalar as Java's <c>toString</c> writes it (numbers, booleans and strings); other values as Connect formats them.</summary>
    public static string ToJavaString(object value) => value switch
    {
        double d => FormatDouble(d),
        float f => FormatFloat(f),
        bool b => b ? "true" : "false",
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => ConnectValues.Format(value),
    };

    /// <summary>The Connect type a schemaless value has, or null for a value Connect has no type for.</summary>
    public static SchemaType? InferType(object value) => value switch
    {
        sbyte => SchemaType.Int8,
        short => SchemaType.Int16,
        int => SchemaType.Int32,
        long => SchemaType.Int64,
        float => SchemaType.Float32,
        double => SchemaType.Float64,
        bool => SchemaType.Boolean,
        string => SchemaType.String,
        byte[] => SchemaType.Bytes,
        Struct => SchemaType.Struct,
        IDictionary => SchemaType.Map,
        IList => SchemaType.Array,
        _ => null,
    };

    private static string FormatFloating(double value, string shortestAbs)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        var sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        var exponentAt = shortestAbs.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? shortestAbs : shortestAbs[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortestAbs[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var integerDigits = point < 0 ? mantissa.Length : point;
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        // The power of ten of the first significant digit.
        var firstDigitExponent = integerDigits - leadingZeros - 1 + exponent;
        if (firstDigitExponent is >= -3 and < 7)
        {
            if (firstDigitExponent >= 0)
            {
                var integerPart = digits.PadRight(firstDigitExponent + 1, '0')[..(firstDigitExponent + 1)];
                var fraction = digits.Length > firstDigitExponent + 1 ? digits[(firstDigitExponent + 1)..] : "0";
                return sign + integerPart + "." + fraction;
            }

            return sign + "0." + new string('0', -firstDigitExponent - 1) + digits;
        }

        return sign + digits[0] + "." + (digits.Length > 1 ? digits[1..] : "0") + "E" +
               firstDigitExponent.ToString(CultureInfo.InvariantCulture);
    }
}
