using System.Globalization;
using System.Numerics;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// Infers a schema and value from a literal string, the scalar part of Kafka's <c>Values.parseString</c>: <c>null</c>,
/// <c>true</c>/<c>false</c>, integers as the narrowest of int8..int64 (beyond int64 a Decimal), numbers with a
/// fraction as float32 (Kafka's choice, even where float64 would be exact), ISO 8601 dates (<c>yyyy-MM-dd</c>), times
/// (<c>HH:mm:ss.SSS'Z'</c>) and timestamps (<c>yyyy-MM-dd'T'HH:mm:ss.SSS'Z'</c>) as the logical types, and anything
/// else as the string itself. Kafka also parses <c>[...]</c> arrays and <c>{...}</c> maps; here those stay strings.
/// </summary>
public static class LiteralValues
{
    private static readonly JavaDateFormat DateFormat = JavaDateFormat.Compile("yyyy-MM-dd");
    private static readonly JavaDateFormat TimeFormat = JavaDateFormat.Compile("HH:mm:ss.SSS'Z'");
    private static readonly JavaDateFormat TimestampFormat = JavaDateFormat.Compile("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    public static SchemaAndValue Parse(string? text)
    {
        if (text is null)
        {
            return SchemaAndValue.Null;
        }

        var token = text.Trim();
        if (token.Length == 0)
        {
            return new SchemaAndValue(Schema.String, text);
        }

        switch (token)
        {
            case "null":
                return SchemaAndValue.Null;
            case "true":
                return new SchemaAndValue(Schema.Boolean, true);
            case "false":
                return new SchemaAndValue(Schema.Boolean, false);
        }

        if (char.IsAsciiDigit(token[0]) && ParseTemporal(token) is { } temporal)
        {
            return temporal;
        }

        if ((char.IsAsciiDigit(token[0]) || token[0] is '+' or '-') && ParseNumber(token) is { } number)
        {
            return number;
        }

        return new SchemaAndValue(Schema.String, text);
    }

    private static SchemaAndValue? ParseTemporal(string token)
    {
        var (format, schema) = token.Length switch
        {
            10 => (DateFormat, LogicalTypes.DateSchema),
            13 => (TimeFormat, LogicalTypes.TimeSchema),
            24 => (TimestampFormat, LogicalTypes.TimestampSchema),
            _ => ((JavaDateFormat?)null, (Schema?)null),
        };
        if (format is null)
        {
            return null;
        }

        try
        {
            return new SchemaAndValue(schema, format.Parse(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static SchemaAndValue? ParseNumber(string token)
    {
        // Java's BigDecimal syntax: sign, digits, optional fraction, optional exponent; no spaces, no thousands separators.
        if (!decimal.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var value))
        {
            return BigInteger.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)
                ? BigIntegerValue(big)
                : null;
        }

        if (decimal.Truncate(value) == value && value is >= long.MinValue and <= long.MaxValue)
        {
            var integral = (long)value;
            return integral switch
            {
                >= sbyte.MinValue and <= sbyte.MaxValue => new SchemaAndValue(Schema.Int8, (sbyte)integral),
                >= short.MinValue and <= short.MaxValue => new SchemaAndValue(Schema.Int16, (short)integral),
                >= int.MinValue and <= int.MaxValue => new SchemaAndValue(Schema.Int32, (int)integral),
                _ => new SchemaAndValue(Schema.Int64, integral),
            };
        }

        if (value.Scale != 0)
        {
            return new SchemaAndValue(Schema.Float32, (float)value);
        }

        return new SchemaAndValue(LogicalTypes.Decimal(0).Build(), value);
    }

    private static SchemaAndValue? BigIntegerValue(BigInteger value)
    {
        try
        {
            return new SchemaAndValue(LogicalTypes.Decimal(0).Build(), LogicalTypes.ToDecimal(value, 0));
        }
        catch (DataException)
        {
            return null;
        }
    }
}
