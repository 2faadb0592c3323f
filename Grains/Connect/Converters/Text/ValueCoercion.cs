using System.Collections;
using System.Globalization;
using System.Numerics;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// Converts a parsed value to the common schema found for its list or map (Kafka's <c>Values.convertTo</c> with no
/// source schema): numbers narrow and widen as Java's casts do, strings are parsed, dates pass through. Anything that
/// cannot be converted fails with Kafka's message, which makes the parser fall back to reading the text as a string.
/// </summary>
internal static class ValueCoercion
{
    public static object? ConvertTo(Schema toSchema, object? value)
    {
        if (value is null)
        {
            return toSchema.IsOptional ? null : throw new DataException("Unable to convert a null value to a schema that requires a value");
        }

        switch (toSchema.Name)
        {
            case LogicalTypes.DecimalName when toSchema.Type == SchemaType.Bytes:
                return ToDecimal(toSchema, value);
            case LogicalTypes.DateName or LogicalTypes.TimeName when toSchema.Type == SchemaType.Int32:
            case LogicalTypes.TimestampName when toSchema.Type == SchemaType.Int64:
                return ToTemporal(toSchema, value);
        }

        return toSchema.Type switch
        {
            SchemaType.Bytes => value as byte[] ?? (value is decimal d ? LogicalTypes.FromDecimal(toSchema, d) : throw Unable(value, toSchema)),
            SchemaType.String => ValueFormatter.Format(value),
            SchemaType.Boolean => ToBoolean(value),
            SchemaType.Int8 => value as sbyte? ?? unchecked((sbyte)AsLong(value)),
            SchemaType.Int16 => value as short? ?? unchecked((short)AsLong(value)),
            SchemaType.Int32 => value as int? ?? unchecked((int)AsLong(value)),
            SchemaType.Int64 => value as long? ?? AsLong(value),
            SchemaType.Float32 => value as float? ?? (float)AsDouble(value),
            SchemaType.Float64 => value as double? ?? AsDouble(value),
            SchemaType.Array => Parsed(value) is IList list ? list : throw Unable(value, toSchema),
            SchemaType.Map => Parsed(value) is IDictionary map ? map : throw Unable(value, toSchema),
            _ => value as Struct ?? throw Unable(value, toSchema),
        };
    }

    /// <summary>Java's <c>Number.longValue()</c>: fractions truncated, floating values saturated, wider values wrapped.</summary>
    public static long AsLong(object value) => value switch
    {
        sbyte or short or int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float f => (long)f,
        double d => (long)d,
        decimal m => unchecked((long)(ulong)(new BigInteger(decimal.Truncate(m)) & ulong.MaxValue)),
        string s => AsLong(ParseBigDecimal(s, value)),
        _ => throw new DataException($"Unable to convert {ValueFormatter.Format(value)} ({value.GetType()}) to a number"),
    };

    private static double AsDouble(object value) => value switch
    {
        float f => f,
        double d => d,
        decimal m => (double)m,
        string s => (double)ParseBigDecimal(s, value),
        _ => AsLong(value),
    };

    private static bool ToBoolean(object value)
    {
        if (value is bool b)
        {
            return b;
        }

        if (value is string s && Values.ParseString(s)?.Value is bool parsed)
        {
            return parsed;
        }

        return AsLong(value) != 0;
    }

    private static decimal ToDecimal(Schema toSchema, object value) => value switch
    {
        decimal d => d,
        byte[] bytes => LogicalTypes.ToDecimal(toSchema, bytes),
        string s => ParseBigDecimal(s, value),
        sbyte or short or int or long => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        // Kafka goes through double here (BigDecimal.valueOf(double)), i.e. the double's shortest digits.
        float or double => decimal.Parse(ValueFormatter.Format(Convert.ToDouble(value, CultureInfo.InvariantCulture)), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw Unable(value, toSchema),
    };

    /// <summary>A date stays as it is (there is no source schema to convert from); a number counts days, millis of day or millis.</summary>
    private static DateTime ToTemporal(Schema toSchema, object value)
    {
        var parsed = value is string s ? Values.ParseString(s)?.Value : value;
        if (parsed is DateTime date)
        {
            return date;
        }

        var number = AsLong(parsed ?? value);
        return toSchema.Name switch
        {
            LogicalTypes.DateName => LogicalTypes.ToDate(unchecked((int)number)),
            LogicalTypes.TimeName => LogicalTypes.ToTime(unchecked((int)number)),
            _ => LogicalTypes.ToTimestamp(number),
        };
    }

    private static object? Parsed(object value) => value is string s ? Values.ParseString(s)?.Value : value;

    private static decimal ParseBigDecimal(string text, object original)
    {
        if (JavaDecimal.TryParse(text, out var unscaled, out var scale))
        {
            return JavaDecimal.ToDecimal(unscaled, scale);
        }

        throw new DataException($"Unable to convert {original} ({original.GetType()}) to a number");
    }

    private static DataException Unable(object value, Schema toSchema) =>
        new($"Unable to convert {ValueFormatter.Format(value)} ({value.GetType()}) to {toSchema}");
}
