using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class TimestampConverterTests
{
    private const string Format = "yyyy MM dd HH mm ss SSS z";
    private const string StringFormat = "yyyy MM dd HH mm ss SSS";
    private static readonly DateTime DateTimeValue = new(2017, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc);
    private static readonly DateTime DateOnly = new(2017, 1, 2, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime TimeOnly = DateTime.UnixEpoch.Add(new TimeSpan(0, 3, 4, 5, 6));
    private static readonly long Millis = new DateTimeOffset(DateTimeValue).ToUnixTimeMilliseconds();
    private const string DateString = "2017 01 02 03 04 05 006";

    private static TimestampConverterValue<SourceRecord> Converter(params (string, string)[] config) => new TimestampConverterValue<SourceRecord>().Configured(config);

    [Fact]
    public void TimestampConverter_WithoutTargetType_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => Converter());

    [Theory]
    [InlineData("invalid", "")]
    [InlineData("string", "")]
    [InlineData("string", "bad-format-zz-G")]
    [InlineData("unix", "")]
    public void TimestampConverter_WithInvalidConfig_ThrowsConfigException(string targetType, string format)
    {
        if (targetType == "unix")
        {
            Assert.Throws<ConfigException>(() => Converter(("target.type", "unix"), ("unix.precision", "minutes")));
            return;
        }

        Assert.Throws<ConfigException>(() => Converter(("target.type", targetType), ("format", format)));
    }

    [Fact]
    public void TimestampConverter_UnsupportedPatternLetter_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => Converter(("target.type", "string"), ("format", Format)));

    [Theory]
    [InlineData("Timestamp")]
    [InlineData("Date")]
    [InlineData("Time")]
    [InlineData("unix")]
    [InlineData("string")]
    public void TimestampConverter_SchemalessTimestamp_ConvertsToEachTarget(string target)
    {
        var result = Converter(("target.type", target), ("format", StringFormat)).Apply(Value(null, DateTimeValue))!;
        Assert.Null(result.ValueSchema);
        object expected = target switch
        {
            "Timestamp" => DateTimeValue,
            "Date" => DateOnly,
            "Time" => TimeOnly,
            "unix" => Millis,
            _ => DateString,
        };
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void TimestampConverter_SchemalessStringAndUnix_AreInferredAsSources()
    {
        Assert.Equal(DateTimeValue, Converter(("target.type", "Timestamp"), ("format", StringFormat)).Apply(Value(null, DateString))!.Value);
        Assert.Equal(DateTimeValue, Converter(("target.type", "Timestamp")).Apply(Value(null, Millis))!.Value);
    }

    [Fact]
    public void TimestampConverter_WithSchema_ChangesTheSchemaToTheTarget()
    {
        var toUnix = Converter(("target.type", "unix")).Apply(Value(LogicalTypes.TimestampSchema, DateTimeValue))!;
        Assert.Equal(Schema.Int64, toUnix.ValueSchema);
        Assert.Equal(Millis, toUnix.Value);

        var toDate = Converter(("target.type", "Date")).Apply(Value(Schema.OptionalInt64, Millis))!;
        Assert.Equal(TimestampConverter<SourceRecord>.OptionalDateSchema, toDate.ValueSchema);
        Assert.Equal(DateOnly, toDate.Value);

        var toString = Converter(("target.type", "string"), ("format", StringFormat)).Apply(Value(LogicalTypes.TimeSchema, TimeOnly))!;
        Assert.Equal(Schema.String, toString.ValueSchema);
        Assert.Equal("1970 01 01 03 04 05 006", toString.Value);
    }

    [Theory]
    [InlineData("seconds", 1483326245L)]
    [InlineData("milliseconds", 1483326245006L)]
    [InlineData("microseconds", 1483326245006000L)]
    [InlineData("nanoseconds", 1483326245006000000L)]
    public void TimestampConverter_UnixPrecision_ScalesOutputAndInput(string precision, long unix)
    {
        Assert.Equal(unix, Converter(("target.type", "unix"), ("unix.precision", precision)).Apply(Value(null, DateTimeValue))!.Value);
        var back = (DateTime)Converter(("target.type", "Timestamp"), ("unix.precision", precision)).Apply(Value(Schema.Int64, unix))!.Value!;
        Assert.Equal(precision == "seconds" ? DateTimeValue.AddMilliseconds(-6) : DateTimeValue, back);
    }

    [Fact]
    public void TimestampConverter_StructField_ConvertsOnlyThatField()
    {
        var schema = SchemaBuilder.Struct().Field("ts", Schema.OptionalString).Field("other", Schema.String).Build();
        var value = new Struct(schema).Put("ts", DateString).Put("other", "test");
        var result = new TimestampConverterKey<SourceRecord>().Configured(("target.type", "Timestamp"), ("format", StringFormat), ("field", "ts"))
            .Apply(Key(schema, value))!;
        Assert.Equal(TimestampConverter<SourceRecord>.OptionalTimestampSchema, result.KeySchema!.Field("ts")!.Schema);
        Assert.Equal(Schema.String, result.KeySchema.Field("other")!.Schema);
        var updated = (Struct)result.Key!;
        Assert.Equal(DateTimeValue, updated.Get("ts"));
        Assert.Equal("test", updated.Get("other"));
    }

    [Fact]
    public void TimestampConverter_SchemalessMapField_ConvertsOnlyThatEntry()
    {
        var result = Converter(("target.type", "unix"), ("field", "ts")).Apply(Value(null, Map(("ts", DateTimeValue), ("other", "x"))))!;
        var map = AsMap(result.Value);
        Assert.Equal(Millis, map["ts"]);
        Assert.Equal("x", map["other"]);
    }

    [Fact]
    public void TimestampConverter_NullValues_StayNullWithTheTargetSchema()
    {
        var whole = Converter(("target.type", "unix")).Apply(Value(LogicalTypes.Timestamp().Optional().Build(), null))!;
        Assert.Equal(Schema.OptionalInt64, whole.ValueSchema);
        Assert.Null(whole.Value);

        var schema = SchemaBuilder.Struct().Field("ts", LogicalTypes.Timestamp().Optional().Build()).Optional().Build();
        var field = Converter(("target.type", "unix"), ("field", "ts")).Apply(Value(schema, null))!;
        Assert.Equal(Schema.OptionalInt64, field.ValueSchema!.Field("ts")!.Schema);
        Assert.Null(field.Value);
        Assert.Null(Converter(("target.type", "unix")).Apply(Value(null, null))!.Value);
    }

    [Fact]
    public void TimestampConverter_WithoutReplaceNullWithDefault_KeepsNullField()
    {
        var schema = SchemaBuilder.Struct().Field("ts", SchemaBuilder.Int64().Optional().DefaultValue(0L).Build()).Build();
        var withDefault = (Struct)Converter(("target.type", "Timestamp"), ("field", "ts")).Apply(Value(schema, new Struct(schema)))!.Value!;
        Assert.Equal(DateTime.UnixEpoch, withDefault.Get("ts"));
        var without = (Struct)Converter(("target.type", "Timestamp"), ("field", "ts"), ("replace.null.with.default", "false")).Apply(Value(schema, new Struct(schema)))!.Value!;
        Assert.Null(without.Get("ts"));
    }

    [Fact]
    public void TimestampConverter_UnparseableString_ThrowsDataException() =>
        Assert.Throws<DataException>(() => Converter(("target.type", "unix"), ("format", StringFormat)).Apply(Value(null, "not a date")));

    [Fact]
    public void TimestampConverter_UnsupportedSchemalessType_ThrowsDataException() =>
        Assert.Throws<DataException>(() => Converter(("target.type", "unix")).Apply(Value(null, 42)));

    [Fact]
    public void TimestampConverter_SchemaThatIsNoTimestamp_ThrowsConnectException() =>
        Assert.ThrowsAny<ConnectException>(() => Converter(("target.type", "unix")).Apply(Value(Schema.Boolean, true)));
}
