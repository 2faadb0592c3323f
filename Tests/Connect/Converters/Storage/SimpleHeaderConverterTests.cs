using System.Text;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Storage;

namespace Tributary.Tests.Connect.Converters.Storage;

/// <summary>Header values written as text and read back typed, with the cases of Kafka's SimpleHeaderConverterTest.</summary>
public sealed class SimpleHeaderConverterTests
{
    private const string Topic = "topic";
    private const string Header = "header";
    private readonly SimpleHeaderConverter _converter = new();

    private SchemaAndValue RoundTrip(Schema? schema, object? value) =>
        _converter.ToConnectHeader(Topic, Header, _converter.FromConnectHeader(Topic, Header, schema, value));

    private void AssertRoundTrip(Schema schema, object? value)
    {
        var serialized = _converter.FromConnectHeader(Topic, Header, schema, value);
        var result = _converter.ToConnectHeader(Topic, Header, serialized);
        if (value is null)
        {
            Assert.Null(serialized);
            ConnectAssert.Equal(SchemaAndValue.Null, result);
            return;
        }

        ConnectAssert.Equal(new SchemaAndValue(schema, value), result);
        var again = _converter.ToConnectHeader(Topic, Header, _converter.FromConnectHeader(Topic, Header, result.Schema, result.Value));
        ConnectAssert.Equal(result, again);
    }

    [Fact]
    public void RoundTrip_NullAndStrings_KeepTheirValue()
    {
        AssertRoundTrip(Schema.String, null);
        AssertRoundTrip(Schema.OptionalString, null);
        AssertRoundTrip(Schema.String, "simple");
        AssertRoundTrip(Schema.String, "");
        AssertRoundTrip(Schema.String, "three\"blind\\\"mice");
        AssertRoundTrip(Schema.String, "string with delimiters: <>?,./\\=+-!@#$%^&*(){}[]|;':");
    }

    [Fact]
    public void RoundTrip_MapsAndLists_KeepTheirSchemaAndValues()
    {
        AssertRoundTrip(SchemaBuilder.Map(Schema.String, Schema.String).Build(), new Dictionary<object, object?> { ["foo"] = "123", ["bar"] = "baz" });
        AssertRoundTrip(SchemaBuilder.Map(Schema.String, Schema.Int16).Build(), new Dictionary<object, object?> { ["foo"] = (short)12345, ["bar"] = (short)0, ["baz"] = (short)-4321 });
        AssertRoundTrip(SchemaBuilder.Map(Schema.String, Schema.Int32).Build(), new Dictionary<object, object?> { ["foo"] = 1234567890, ["bar"] = 0, ["baz"] = -987654321 });
        AssertRoundTrip(SchemaBuilder.Array(Schema.String).Build(), new List<object?> { "foo", "bar" });
        AssertRoundTrip(SchemaBuilder.Array(Schema.Int32).Build(), new List<object?> { 1234567890, -987654321 });
    }

    [Theory]
    [InlineData("{\"foo\":12345,\"bar\":0,\"baz\":-4321}")]
    [InlineData(" { \"foo\" :  12345 , \"bar\" : 0,  \"baz\" : -4321 }  ")]
    public void ToConnectHeader_MapTextWithOrWithoutWhitespace_IsAMapOfShorts(string text)
    {
        var result = RoundTrip(Schema.String, text);

        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Map(Schema.String, Schema.Int16).Build(), new Dictionary<object, object?> { ["foo"] = (short)12345, ["bar"] = (short)0, ["baz"] = (short)-4321 }),
            result);
    }

    [Fact]
    public void RoundTrip_MixedValues_HaveNoValueSchema()
    {
        var map = new Dictionary<object, object?> { ["foo"] = "bar", ["baz"] = (short)3456 };
        var list = new List<object?> { "foo", (short)13344 };

        var mapResult = RoundTrip(null, map);
        var listResult = RoundTrip(null, list);

        Assert.Equal(SchemaType.String, mapResult.Schema!.KeySchema!.Type);
        Assert.Null(mapResult.Schema.ValueSchema);
        Assert.True(ConnectValues.AreEqual(map, mapResult.Value));
        Assert.Null(listResult.Schema!.ValueSchema);
        Assert.True(ConnectValues.AreEqual(list, listResult.Value));
    }

    [Fact]
    public void RoundTrip_EmptyCollections_HaveNoElementSchemas()
    {
        var map = RoundTrip(null, new Dictionary<object, object?>());
        var list = RoundTrip(null, new List<object?>());

        Assert.Equal(SchemaType.Map, map.Schema!.Type);
        Assert.Null(map.Schema.KeySchema);
        Assert.Equal(SchemaType.Array, list.Schema!.Type);
        Assert.Null(list.Schema.ValueSchema);
    }

    [Fact]
    public void FromConnectHeader_WritesUtf8Text()
    {
        Assert.Equal("[1,2]", Encoding.UTF8.GetString(_converter.FromConnectHeader(Topic, Header, null, new List<object?> { 1, 2 })!));
        Assert.Equal("é", Encoding.UTF8.GetString(_converter.FromConnectHeader(Topic, Header, Schema.String, "é")!));
    }

    [Fact]
    public void ToConnectHeader_NullLiteral_IsTheNullPair()
    {
        ConnectAssert.Equal(SchemaAndValue.Null, _converter.ToConnectHeader(Topic, Header, "null"u8.ToArray()));
    }

    [Fact]
    public void ToConnectHeader_NumberTooLargeForADecimal_FallsBackToTheRawBytes()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('9', 40));

        ConnectAssert.Equal(new SchemaAndValue(Schema.Bytes, bytes), _converter.ToConnectHeader(Topic, Header, bytes));
    }

    [Fact]
    public void Version_IsKafkasRelease()
    {
        Assert.Equal("3.9.0", _converter.Version);
    }
}
