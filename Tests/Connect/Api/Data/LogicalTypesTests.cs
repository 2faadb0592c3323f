using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Tests.Connect.Api.Data;

public sealed class LogicalTypesTests
{
    [Theory]
    [InlineData("1.56", 2, new byte[] { 0x00, 0x9C })]
    [InlineData("-1.56", 2, new byte[] { 0xFF, 0x64 })]
    [InlineData("0", 2, new byte[] { 0x00 })]
    [InlineData("-0.01", 2, new byte[] { 0xFF })]
    [InlineData("12345678901234567890.123", 3, new byte[] { 0x02, 0x9D, 0x42, 0xB6, 0x4E, 0x76, 0x71, 0x42, 0x44, 0xCB })]
    public void Decimal_FromDecimal_WritesBigEndianTwosComplementUnscaled_AndReadsBack(string text, int scale, byte[] expected)
    {
        var schema = LogicalTypes.Decimal(scale).Build();
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        var bytes = LogicalTypes.FromDecimal(schema, value);

        Assert.Equal(expected, bytes);
        Assert.Equal(value, LogicalTypes.ToDecimal(schema, bytes));
    }

    [Fact]
    public void Decimal_ValueWithASmallerScale_IsWrittenAtTheSchemasScale()
    {
        var schema = LogicalTypes.Decimal(2).Build();

        var bytes = LogicalTypes.FromDecimal(schema, 1.5m);

        Assert.Equal(new byte[] { 0x00, 0x96 }, bytes);
        Assert.Equal(1.50m, LogicalTypes.ToDecimal(schema, bytes));
    }

    [Fact]
    public void Decimal_ValueWithALargerScale_ThrowsKafkasMismatchMessage()
    {
        var schema = LogicalTypes.Decimal(2).Build();

        var error = Assert.Throws<DataException>(() => LogicalTypes.FromDecimal(schema, 1.234m));

        Assert.Equal("Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 3.", error.Message);
    }

    [Fact]
    public void Decimal_SchemaWithoutScale_Throws()
    {
        var schema = SchemaBuilder.Bytes().WithName(LogicalTypes.DecimalName).Build();

        var error = Assert.Throws<DataException>(() => LogicalTypes.Scale(schema));

        Assert.Equal("Invalid Decimal schema: scale parameter not found.", error.Message);
    }

    [Fact]
    public void Decimal_Schema_IsNamedBytesWithScaleAndVersion()
    {
        var schema = LogicalTypes.Decimal(4).Build();

        Assert.Equal(SchemaType.Bytes, schema.Type);
        Assert.Equal("org.apache.kafka.connect.data.Decimal", schema.Name);
        Assert.Equal("4", schema.Parameters!["scale"]);
        Assert.Equal(1, schema.Version);
        Assert.Equal(typeof(decimal), LogicalTypes.ValueType(schema));
    }

    [Fact]
    public void Decimal_TooLargeForDecimal_IsRefusedNotRounded()
    {
        Assert.Throws<DataException>(() => LogicalTypes.ToDecimal(System.Numerics.BigInteger.Pow(10, 30), 0));
    }

    [Fact]
    public void Date_RoundTrips_DaysSinceTheEpoch()
    {
        var date = new DateTime(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc);

        var days = LogicalTypes.FromDate(date);

        Assert.Equal(19782, days);
        Assert.Equal(date, LogicalTypes.ToDate(days));
        Assert.Equal(new DateTime(1969, 12, 31, 0, 0, 0, DateTimeKind.Utc), LogicalTypes.ToDate(-1));
    }

    [Fact]
    public void Date_WithATimeOfDay_ThrowsKafkasMessage()
    {
        var error = Assert.Throws<DataException>(() => LogicalTypes.FromDate(new DateTime(2024, 1, 1, 10, 0, 0, DateTimeKind.Utc)));

        Assert.Equal("Kafka Connect Date type should not have any time fields set to non-zero values.", error.Message);
    }

    [Fact]
    public void Time_RoundTrips_MillisecondsOfTheDay()
    {
        var time = DateTime.UnixEpoch.AddHours(13).AddMinutes(5).AddMilliseconds(7);

        var millis = LogicalTypes.FromTime(time);

        Assert.Equal((13 * 3600 * 1000) + (5 * 60 * 1000) + 7, millis);
        Assert.Equal(time, LogicalTypes.ToTime(millis));
    }

    [Fact]
    public void Time_OnAnotherDay_ThrowsKafkasMessage()
    {
        var error = Assert.Throws<DataException>(() => LogicalTypes.FromTime(new DateTime(2024, 1, 1, 10, 0, 0, DateTimeKind.Utc)));

        Assert.Equal("Kafka Connect Time type should not have any date fields set to non-zero values.", error.Message);
    }

    [Fact]
    public void Timestamp_RoundTrips_MillisecondsSinceTheEpoch_IncludingBeforeIt()
    {
        var timestamp = new DateTime(2023, 11, 14, 22, 13, 20, 123, DateTimeKind.Utc);

        Assert.Equal(1700000000123L, LogicalTypes.FromTimestamp(timestamp));
        Assert.Equal(timestamp, LogicalTypes.ToTimestamp(1700000000123L));
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(-1), LogicalTypes.ToTimestamp(-1));
    }

    [Fact]
    public void LogicalTypes_ValuesInStructs_MustBeTheirCSharpType()
    {
        var schema = SchemaBuilder.Struct().Field("when", LogicalTypes.TimestampSchema).Field("price", LogicalTypes.Decimal(2).Build()).Build();

        var value = new Struct(schema).Put("when", DateTime.UnixEpoch).Put("price", 1.25m);

        Assert.Equal(1.25m, value.Get("price"));
        var error = Assert.Throws<DataException>(() => value.Put("when", 0L));
        Assert.Equal(
            "Invalid Java object for schema \"org.apache.kafka.connect.data.Timestamp\" with type INT64: class System.Int64 for field: \"when\"",
            error.Message);
    }
}
