using System.Globalization;
using System.Numerics;

namespace Tributary.Grains.Connect.Api.Data;

/// <summary>
/// Connect's logical types, named schemas over a primitive (Kafka's <c>Decimal</c>, <c>Date</c>, <c>Time</c>,
/// <c>Timestamp</c>), with their C# values and the conversions to and from the primitive that converters write:
/// Decimal is <see cref="decimal"/> over big-endian two's-complement unscaled bytes with the <c>scale</c> parameter;
/// Date is a UTC midnight <see cref="DateTime"/> over int32 days since the epoch; Time is a <see cref="DateTime"/> on
/// 1970-01-01 over int32 milliseconds of the day; Timestamp is a UTC <see cref="DateTime"/> over int64 milliseconds
/// since the epoch. Java's BigDecimal has unlimited precision; <see cref="decimal"/> holds 28 digits, and a value
/// beyond it is refused with a <see cref="DataException"/> rather than rounded.
/// </summary>
public static class LogicalTypes
{
    public const string DecimalName = "org.apache.kafka.connect.data.Decimal";
    public const string DateName = "org.apache.kafka.connect.data.Date";
    public const string TimeName = "org.apache.kafka.connect.data.Time";
    public const string TimestampName = "org.apache.kafka.connect.data.Timestamp";
    public const string ScaleParameter = "scale";

    private const long MillisPerDay = 24L * 60 * 60 * 1000;

    public static SchemaBuilder Decimal(int scale) =>
        SchemaBuilder.Bytes().WithName(DecimalName).Parameter(ScaleParameter, scale.ToString(CultureInfo.InvariantCulture)).WithVersion(1);

    public static SchemaBuilder Date() => SchemaBuilder.Int32().WithName(DateName).WithVersion(1);

    public static SchemaBuilder Time() => SchemaBuilder.Int32().WithName(TimeName).WithVersion(1);

    public static SchemaBuilder Timestamp() => SchemaBuilder.Int64().WithName(TimestampName).WithVersion(1);

    public static readonly Schema DateSchema = Date().Build();
    public static readonly Schema TimeSchema = Time().Build();
    public static readonly Schema TimestampSchema = Timestamp().Build();

    /// <summary>The C# type a schema's values take when the schema is a logical type; null for plain schemas.</summary>
    public static Type? ValueType(Schema schema) => schema.Name switch
    {
        DecimalName when schema.Type == SchemaType.Bytes => typeof(decimal),
        DateName when schema.Type == SchemaType.Int32 => typeof(DateTime),
        TimeName when schema.Type == SchemaType.Int32 => typeof(DateTime),
        TimestampName when schema.Type == SchemaType.Int64 => typeof(DateTime),
        _ => null,
    };

    public static int Scale(Schema schema)
    {
        if (schema.Parameters is null || !schema.Parameters.TryGetValue(ScaleParameter, out var text) ||
            !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale))
        {
            throw new DataException("Invalid Decimal schema: scale parameter not found.");
        }

        return scale;
    }

    /// <summary>The unscaled big-endian two's-complement bytes of <paramref name="value"/> at the schema's scale.</summary>
    public static byte[] FromDecimal(Schema schema, decimal value)
    {
        var scale = Scale(schema);
        var valueScale = value.Scale;
        if (valueScale > scale)
        {
            throw new DataException($"Decimal value has mismatching scale for given Decimal schema. Schema has scale {scale}, value has scale {valueScale}.");
        }

        var unscaled = UnscaledOf(value) * BigInteger.Pow(10, scale - valueScale);
        return unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);
    }

    public static decimal ToDecimal(Schema schema, byte[] unscaledBytes) =>
        ToDecimal(new BigInteger(unscaledBytes, isUnsigned: false, isBigEndian: true), Scale(schema));

    /// <summary><paramref name="unscaled"/> × 10^-<paramref name="scale"/>, exactly, or a <see cref="DataException"/>.</summary>
    public static decimal ToDecimal(BigInteger unscaled, int scale)
    {
        var value = unscaled;
        var s = scale;
        while (s < 0)
        {
            value *= 10;
            s++;
        }

        while (s > 28 && value % 10 == 0)
        {
            value /= 10;
            s--;
        }

        if (s > 28 || BigInteger.Abs(value) > new BigInteger(decimal.MaxValue))
        {
            throw new DataException($"Decimal value {unscaled}E-{scale} does not fit a 28-digit decimal");
        }

        return DecimalFromParts(value, (byte)s);
    }

    public static BigInteger UnscaledOf(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        return value < 0 || (bits[3] & int.MinValue) != 0 ? -magnitude : magnitude;
    }

    public static int FromDate(DateTime value)
    {
        var utc = AsUtc(value);
        if (utc.TimeOfDay != TimeSpan.Zero)
        {
            throw new DataException("Kafka Connect Date type should not have any time fields set to non-zero values.");
        }

        return (int)((utc - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerDay);
    }

    public static DateTime ToDate(int days) => DateTime.UnixEpoch.AddDays(days);

    public static int FromTime(DateTime value)
    {
        var millis = new DateTimeOffset(AsUtc(value)).ToUnixTimeMilliseconds();
        if (millis is < 0 or >= MillisPerDay)
        {
            throw new DataException("Kafka Connect Time type should not have any date fields set to non-zero values.");
        }

        return (int)millis;
    }

    public static DateTime ToTime(int millisOfDay) => DateTime.UnixEpoch.AddMilliseconds(millisOfDay);

    public static long FromTimestamp(DateTime value) => new DateTimeOffset(AsUtc(value)).ToUnixTimeMilliseconds();

    public static DateTime ToTimestamp(long millis) => DateTime.UnixEpoch.AddMilliseconds(millis);

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    private static decimal DecimalFromParts(BigInteger value, byte scale)
    {
        var negative = value.Sign < 0;
        var magnitude = BigInteger.Abs(value);
        var lo = (int)(uint)(magnitude & uint.MaxValue);
        var mid = (int)(uint)((magnitude >> 32) & uint.MaxValue);
        var hi = (int)(uint)((magnitude >> 64) & uint.MaxValue);
        return new decimal(lo, mid, hi, negative, scale);
    }
}
