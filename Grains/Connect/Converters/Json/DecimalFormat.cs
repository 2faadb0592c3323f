namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>How the JSON converter writes a Decimal (Kafka's <c>DecimalFormat</c>, the <c>decimal.format</c> setting).</summary>
public enum DecimalFormat
{
    /// <summary>The unscaled two's-complement bytes as a base64 string: 10.2345 at scale 4 is <c>"D3J5"</c>.</summary>
    Base64,

    /// <summary>A JSON number as Java's BigDecimal prints it: <c>10.2345</c>.</summary>
    Numeric,
}
