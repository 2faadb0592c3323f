using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Tests.Connect.Api.Data;

public sealed class ConnectValuesTests
{
    [Fact]
    public void AreEqual_ByteArrays_CompareByContent()
    {
        Assert.True(ConnectValues.AreEqual(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 }));
        Assert.False(ConnectValues.AreEqual(new byte[] { 1, 2, 3 }, new byte[] { 1, 2 }));
    }

    [Fact]
    public void AreEqual_NestedListsAndMaps_CompareDeeply()
    {
        var a = new Dictionary<object, object?> { ["k"] = new List<object?> { new byte[] { 9 }, "x" }, ["n"] = null };
        var b = new Dictionary<object, object?> { ["n"] = null, ["k"] = new List<object?> { new byte[] { 9 }, "x" } };
        var c = new Dictionary<object, object?> { ["n"] = null, ["k"] = new List<object?> { new byte[] { 8 }, "x" } };

        Assert.True(ConnectValues.AreEqual(a, b));
        Assert.False(ConnectValues.AreEqual(a, c));
    }

    [Fact]
    public void AreEqual_MapsWithDifferentKeys_AreNotEqual()
    {
        var a = new Dictionary<object, object?> { ["a"] = 1 };
        var b = new Dictionary<object, object?> { ["b"] = 1 };

        Assert.False(ConnectValues.AreEqual(a, b));
    }

    [Fact]
    public void AreEqual_ListsOfDifferentLengthOrOrder_AreNotEqual()
    {
        Assert.False(ConnectValues.AreEqual(new List<object?> { 1, 2 }, new List<object?> { 2, 1 }));
        Assert.False(ConnectValues.AreEqual(new List<object?> { 1 }, new List<object?> { 1, 1 }));
    }

    [Fact]
    public void AreEqual_NullAndValue_AreNotEqual_NullAndNull_Are()
    {
        Assert.True(ConnectValues.AreEqual(null, null));
        Assert.False(ConnectValues.AreEqual(null, 1));
        Assert.False(ConnectValues.AreEqual(1, 1L));
    }

    [Fact]
    public void Format_Bytes_AreShownAsJavaSignedBytes()
    {
        Assert.Equal("[1, -1, 127, -128]", ConnectValues.Format(new byte[] { 1, 255, 127, 128 }));
    }

    [Fact]
    public void Format_MapsAndLists_AreShownAsJavaDoes()
    {
        var map = new Dictionary<string, object?> { ["a"] = 1, ["b"] = new List<object?> { "x", null, true } };

        Assert.Equal("{a=1, b=[x, null, true]}", ConnectValues.Format(map));
    }

    [Fact]
    public void Format_PrimitivesAndNull()
    {
        Assert.Equal("null", ConnectValues.Format(null));
        Assert.Equal("false", ConnectValues.Format(false));
        Assert.Equal("1.5", ConnectValues.Format(1.5));
        Assert.Equal("-42", ConnectValues.Format(-42L));
        Assert.Equal("text", ConnectValues.Format("text"));
    }

    [Fact]
    public void Validate_MapWithAValueOfTheWrongType_NamesTheMapValue()
    {
        var schema = SchemaBuilder.Map(Schema.String, Schema.Int32).Build();

        var error = Assert.Throws<DataException>(() => ConnectValues.Validate(schema, new Dictionary<object, object?> { ["a"] = "1" }));

        Assert.Equal("Invalid Java object for schema with type INT32: class System.String for value of map value", error.Message);
    }

    [Fact]
    public void Validate_NullForARequiredSchema_ThrowsKafkasMessage()
    {
        var error = Assert.Throws<DataException>(() => ConnectValues.Validate(Schema.Int64, (object?)null));

        Assert.Equal("Invalid value: null used for required value, schema type: INT64", error.Message);
    }

    [Theory]
    [InlineData(SchemaType.Int8, (sbyte)1)]
    [InlineData(SchemaType.Int16, (short)1)]
    [InlineData(SchemaType.Int32, 1)]
    [InlineData(SchemaType.Int64, 1L)]
    [InlineData(SchemaType.Float32, 1f)]
    [InlineData(SchemaType.Float64, 1d)]
    [InlineData(SchemaType.Boolean, true)]
    [InlineData(SchemaType.String, "s")]
    public void Validate_EachPrimitive_AcceptsItsCSharpType_AndRefusesAnother(SchemaType type, object value)
    {
        var schema = new SchemaBuilder(type).Build();

        ConnectValues.Validate(schema, value);
        Assert.Throws<DataException>(() => ConnectValues.Validate(schema, new object()));
    }

    [Fact]
    public void Validate_NullForAnOptionalSchema_Passes()
    {
        ConnectValues.Validate(Schema.OptionalBytes, (object?)null);
    }
}
