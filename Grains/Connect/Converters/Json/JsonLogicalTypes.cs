using System.Text.Json;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Text;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// The JSON converter's logical types (Kafka's <c>LOGICAL_CONVERTERS</c>), chosen by schema name alone as Kafka does:
/// Decimal as base64 of its unscaled bytes or as a number per <c>decimal.format</c> (either is read back), Date and
/// Time as int32, Timestamp as int64.
/// </summary>
internal static class JsonLogicalTypes
{
    private const long MillisPerDay = 24L * 60 * 60 * 1000;

    public static bool IsLogical(string schemaName) => schemaName is
        LogicalTypes.DecimalName or LogicalTypes.DateName or LogicalTypes.TimeName or LogicalTypes.TimestampName;

    public static void Write(JacksonJsonWriter writer, Schema schema, object value, DecimalFormat decimalFormat)
    {
        switch (schema.Name)
        {
            case LogicalTypes.DecimalName:
                if (value is not decimal number)
                {
                    throw new DataException("Invalid type for Decimal, expected BigDecimal but was " + value.GetType());
                }

                if (decimalFormat == DecimalFormat.Numeric)
                {
                    writer.WriteNumber(number);
                }
                else
                {
                    writer.WriteBase64(LogicalTypes.FromDecimal(schema, number));
                }

                break;
            case LogicalTypes.DateName:
                writer.WriteNumber(LogicalTypes.FromDate(AsDate(value, "Date")));
                break;
            case LogicalTypes.TimeName:
                writer.WriteNumber(LogicalTypes.FromTime(AsDate(value, "Time")));
                break;
            default:
                writer.WriteNumber(LogicalTypes.FromTimestamp(AsDate(value, "Timestamp")));
                break;
        }
    }

    public static object Read(Schema schema, JsonElement value) => schema.Name switch
    {
        LogicalTypes.DecimalName => ReadDecimal(schema, value),
        LogicalTypes.DateName => LogicalTypes.ToDate(
            JsonNumbers.IsInt(value) ? JsonNumbers.Int32(value) : throw new DataException("Invalid type for Date, underlying representation should be integer but was " + JsonNumbers.NodeType(value))),
        LogicalTypes.TimeName => ReadTime(value),
        _ => LogicalTypes.ToTimestamp(
            JsonNumbers.IsIntegral(value) ? JsonNumbers.Int64(value) : throw new DataException("Invalid type for Timestamp, underlying representation should be integral but was " + JsonNumbers.NodeType(value))),
    };

    private static object ReadDecimal(Schema schema, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            var (unscaled, scale) = JsonNumbers.Exact(value);
            return JavaDecimal.ToDecimal(unscaled, scale);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                return LogicalTypes.ToDecimal(schema, value.GetBytesFromBase64());
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or DataException)
            {
                throw new DataException("Invalid bytes for Decimal field", e);
            }
        }

        throw new DataException("Invalid type for Decimal, underlying representation should be numeric or bytes but was " + JsonNumbers.NodeType(value));
    }

    private static DateTime ReadTime(JsonElement value)
    {
        if (!JsonNumbers.IsInt(value))
        {
            throw new DataException("Invalid type for Time, underlying representation should be integer but was " + JsonNumbers.NodeType(value));
        }

        var millis = JsonNumbers.Int32(value);
        if (millis < 0 || millis > MillisPerDay)
        {
            throw new DataException("Time values must use number of milliseconds greater than 0 and less than 86400000");
        }

        return LogicalTypes.ToTime(millis);
    }

    private static DateTime AsDate(object value, string logicalName) =>
        value as DateTime? ?? throw new DataException($"Invalid type for {logicalName}, expected Date but was {value.GetType()}");
}
