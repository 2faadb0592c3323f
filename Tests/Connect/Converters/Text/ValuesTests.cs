using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Text;

namespace Tributary.Tests.Connect.Converters.Text;

/// <summary>Header text parsed into typed values and written back, with the cases of Kafka's ValuesTest.</summary>
public sealed class ValuesTests
{
    [Fact]
    public void ParseString_NullAndEmpty_AreTheNullPairAndAnEmptyString()
    {
        ConnectAssert.Equal(SchemaAndValue.Null, Values.ParseString(null));
        ConnectAssert.Equal(new SchemaAndValue(Schema.String, ""), Values.ParseString(""));
    }

    [Theory]
    [InlineData("null")]
    [InlineData(" \t null \n")]
    public void ParseString_NullLiteral_IsNoValueAtAll(string text)
    {
        Assert.Null(Values.ParseString(text));
    }

    [Theory]
    [InlineData(" true ", true)]
    [InlineData("\nfalse\t", false)]
    public void ParseString_BooleanLiterals_AreBooleansEvenWithWhitespace(string text, bool expected)
    {
        ConnectAssert.Equal(new SchemaAndValue(Schema.Boolean, expected), Values.ParseString(text));
    }

    [Theory]
    [InlineData("{foo: 3}")]
    [InlineData("{3: foo}")]
    [InlineData("[foo]")]
    [InlineData("null=")]
    [InlineData("true}")]
    [InlineData("false]")]
    [InlineData("{6:9 4:20}")]
    [InlineData("[0 1 2]")]
    [InlineData("{null: 3}")]
    [InlineData("[1, 2, 3,,,]")]
    [InlineData("[1, null]")]
    [InlineData("[null, 1]")]
    [InlineData("simple string")]
    [InlineData("'simple' string")]
    [InlineData("si\\mple")]
    [InlineData("a { b c } d")]
    [InlineData("\uffff")]
    public void ParseString_TextThatIsNoValue_IsTheWholeOriginalString(string text)
    {
        ConnectAssert.Equal(new SchemaAndValue(Schema.String, text), Values.ParseString(text));
    }

    [Theory]
    [InlineData("127", SchemaType.Int8, (sbyte)127)]
    [InlineData("-128", SchemaType.Int8, (sbyte)-128)]
    [InlineData("32767", SchemaType.Int16, (short)32767)]
    [InlineData("2147483647", SchemaType.Int32, int.MaxValue)]
    [InlineData("-9223372036854775808", SchemaType.Int64, long.MinValue)]
    [InlineData("1.0", SchemaType.Int8, (sbyte)1)]
    [InlineData("300.0", SchemaType.Int16, (short)300)]
    [InlineData("66000.0", SchemaType.Int32, 66000)]
    [InlineData("1.1", SchemaType.Float32, 1.1f)]
    [InlineData("66000.0008", SchemaType.Float32, 66000.0008f)]
    [InlineData("3.4028235E38", SchemaType.Float32, float.MaxValue)]
    [InlineData("-1.7976931348623157E308", SchemaType.Float64, -double.MaxValue)]
    [InlineData("1E+20", SchemaType.Float32, 1e20f)]
    public void ParseString_Numbers_TakeTheNarrowestFittingType(string text, SchemaType type, object expected)
    {
        var parsed = Values.ParseString(text);

        Assert.NotNull(parsed);
        Assert.Equal(type, parsed.Schema!.Type);
        Assert.Equal(expected, parsed.Value);
    }

    [Fact]
    public void ParseString_IntegerBeyondInt64_IsADecimalOfScaleZero()
    {
        var parsed = Values.ParseString("9223372036854775808");

        ConnectAssert.Equal(new SchemaAndValue(LogicalTypes.Decimal(0).Build(), 9223372036854775808m), parsed);
    }

    [Fact]
    public void ParseString_IsoTemporalText_IsADateTimeOrTimestampInUtc()
    {
        ConnectAssert.Equal(new SchemaAndValue(LogicalTypes.TimestampSchema, new DateTime(2019, 8, 23, 14, 34, 54, 346, DateTimeKind.Utc)), Values.ParseString("2019-08-23T14:34:54.346Z"));
        ConnectAssert.Equal(new SchemaAndValue(LogicalTypes.DateSchema, new DateTime(2019, 8, 23, 0, 0, 0, DateTimeKind.Utc)), Values.ParseString("2019-08-23"));
        ConnectAssert.Equal(new SchemaAndValue(LogicalTypes.TimeSchema, DateTime.UnixEpoch.Add(new TimeSpan(0, 14, 34, 54, 346))), Values.ParseString("14:34:54.346Z"));
        ConnectAssert.Equal(new SchemaAndValue(LogicalTypes.TimestampSchema, new DateTime(2019, 8, 23, 14, 34, 54, 346, DateTimeKind.Utc)), Values.ParseString("2019-08-23T14\\:34\\:54.346Z"));
    }

    [Fact]
    public void ParseString_TemporalInListsAndMaps_KeepsTheLogicalSchema()
    {
        var list = Values.ParseString("[2019-08-23T14:34:54.346Z,2019-01-23T15:12:34.567Z,   2019-04-23T19:12:34.567Z]");
        var map = Values.ParseString("{\"k1\":\"14:34:54.346Z\"}");

        Assert.Equal(LogicalTypes.TimestampSchema, list!.Schema!.ValueSchema);
        Assert.Equal(3, ((IList<object?>)list.Value!).Count);
        Assert.Equal(LogicalTypes.TimeSchema, map!.Schema!.ValueSchema);
        Assert.Equal(DateTime.UnixEpoch.Add(new TimeSpan(0, 14, 34, 54, 346)), ((IDictionary<object, object?>)map.Value!)["k1"]);
    }

    [Fact]
    public void ParseString_ListOfMixedWidthNumbers_WidensEveryElementToTheWidest()
    {
        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Array(Schema.Int32).Build(), new List<object?> { 1, 2, 32768 }),
            Values.ParseString("[1, 2, 32768]"));
        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Array(Schema.Float32).Build(), new List<object?> { 1f, 2f, float.MaxValue }),
            Values.ParseString("[1, 2, 3.4028235E38]"));
    }

    [Fact]
    public void ParseString_ListOfUnrelatedTypes_HasNoElementSchemaAndKeepsEachValue()
    {
        var parsed = Values.ParseString("[1, 2, 300, \"four\"]");

        ConnectAssert.Equal(
            new SchemaAndValue(new SchemaBuilder(SchemaType.Array).Build(), new List<object?> { (sbyte)1, (sbyte)2, (short)300, "four" }),
            parsed);
    }

    [Fact]
    public void ParseString_MapWithCommonKeysOnly_ConvertsTheKeysAndLeavesTheValues()
    {
        var parsed = Values.ParseString("{1:1, 2:1, 300:300, 4:\"four\"}");

        Assert.Equal(SchemaType.Int16, parsed!.Schema!.KeySchema!.Type);
        Assert.Null(parsed.Schema.ValueSchema);
        Assert.True(ConnectValues.AreEqual(
            new Dictionary<object, object?> { [(short)1] = (sbyte)1, [(short)2] = (sbyte)1, [(short)300] = (short)300, [(short)4] = "four" },
            parsed.Value));
    }

    [Fact]
    public void ParseString_NestedAndEmptyCollections_GetArrayAndMapSchemas()
    {
        Assert.Equal(SchemaType.Array, Values.ParseString("[[]]")!.Schema!.ValueSchema!.Type);
        Assert.Equal(SchemaType.Map, Values.ParseString("[{}]")!.Schema!.ValueSchema!.Type);
        Assert.Equal(SchemaType.Map, Values.ParseString("{\"a\":{}}")!.Schema!.ValueSchema!.Type);
        Assert.Equal(SchemaType.Array, Values.ParseString("{\"a\":[]}")!.Schema!.ValueSchema!.Type);
        ConnectAssert.Equal(new SchemaAndValue(new SchemaBuilder(SchemaType.Array).Build(), new List<object?> { null }), Values.ParseString("[null]"));
        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Map(Schema.Int8, null!).Build(), new Dictionary<object, object?> { [(sbyte)3] = null }),
            Values.ParseString("{3: null}"));
    }

    [Fact]
    public void ParseString_BooleanLiteralsInAMap_AreBooleans()
    {
        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Map(Schema.Boolean, Schema.Boolean).Build(), new Dictionary<object, object?> { [true] = false, [false] = true }),
            Values.ParseString("{true: false, false: true}"));
    }

    [Fact]
    public void ConvertToString_WritesKafkasTextForEachKindOfValue()
    {
        var schema = SchemaBuilder.Struct().Field("a", Schema.Int32).Field("b", SchemaBuilder.String().Optional().DefaultValue("d").Build()).Build();

        Assert.Null(Values.ConvertToString(null, null));
        Assert.Equal("three\"blind\\\"mice", Values.ConvertToString(Schema.String, "three\"blind\\\"mice"));
        Assert.Equal("[\"three\\\"blind\\\\\\\"mice\",1,1.5,true,null]", Values.ConvertToString(null, new List<object?> { "three\"blind\\\"mice", 1, 1.5, true, null }));
        Assert.Equal("{\"foo\":\"123\",\"bar\":\"baz\"}", Values.ConvertToString(null, new Dictionary<object, object?> { ["foo"] = "123", ["bar"] = "baz" }));
        Assert.Equal("{\"a\":1,\"b\":\"d\"}", Values.ConvertToString(schema, new Struct(schema).Put("a", 1)));
        Assert.Equal("AQI=", Values.ConvertToString(Schema.Bytes, new byte[] { 1, 2 }));
        Assert.Equal("1.0E10", Values.ConvertToString(Schema.Float64, 1e10));
        Assert.Equal("2019-08-23", Values.ConvertToString(LogicalTypes.DateSchema, new DateTime(2019, 8, 23, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("14:34:54.346Z", Values.ConvertToString(LogicalTypes.TimeSchema, DateTime.UnixEpoch.Add(new TimeSpan(0, 14, 34, 54, 346))));
        Assert.Equal("2019-08-23T14:34:54.346Z", Values.ConvertToString(LogicalTypes.TimestampSchema, new DateTime(2019, 8, 23, 14, 34, 54, 346, DateTimeKind.Utc)));
    }

    [Fact]
    public void ConvertToString_UnsupportedValue_ThrowsDataException()
    {
        Assert.Throws<DataException>(() => Values.ConvertToString(null, new object()));
    }
}
