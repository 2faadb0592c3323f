using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Tests.Connect.Api.Data;

public sealed class StructTests
{
    private static readonly Schema Address = SchemaBuilder.Struct().WithName("Address")
        .Field("city", Schema.String)
        .Build();

    private static readonly Schema Person = SchemaBuilder.Struct().WithName("Person")
        .Field("name", Schema.String)
        .Field("age", Schema.OptionalInt32)
        .Field("country", SchemaBuilder.String().DefaultValue("NL").Build())
        .Field("address", SchemaBuilder.Struct().WithName("Address").Field("city", Schema.String).Optional().Build())
        .Field("tags", SchemaBuilder.Array(Schema.String).Optional().Build())
        .Build();

    [Fact]
    public void Struct_PutThenGet_ReturnsTheValues_ThroughTypedGetters()
    {
        var value = new Struct(Person).Put("name", "Ada").Put("age", 36);

        Assert.Equal("Ada", value.GetString("name"));
        Assert.Equal(36, value.GetInt32("age"));
        Assert.Equal("Ada", value.Get("name"));
    }

    [Fact]
    public void Struct_UnsetField_ReadsAsItsDefault_ButNotWithoutDefault()
    {
        var value = new Struct(Person).Put("name", "Ada");

        Assert.Equal("NL", value.Get("country"));
        Assert.Null(value.GetWithoutDefault("country"));
        Assert.Null(value.Get("age"));
    }

    [Fact]
    public void Struct_PutOfTheWrongType_ThrowsNamingTheField()
    {
        var value = new Struct(Person);

        var error = Assert.Throws<DataException>(() => value.Put("age", "thirty"));

        Assert.Equal("Invalid Java object for schema with type INT32: class System.String for field: \"age\"", error.Message);
    }

    [Fact]
    public void Struct_PutOfNullIntoARequiredField_ThrowsKafkasMessage()
    {
        var error = Assert.Throws<DataException>(() => new Struct(Person).Put("name", null));

        Assert.Equal("Invalid value: null used for required field: \"name\", schema type: STRING", error.Message);
    }

    [Fact]
    public void Struct_PutOfAnUnknownField_Throws()
    {
        var error = Assert.Throws<DataException>(() => new Struct(Person).Put("nope", 1));

        Assert.Equal("nope is not a valid field name", error.Message);
    }

    [Fact]
    public void Struct_TypedGetterOfTheWrongType_Throws()
    {
        var error = Assert.Throws<DataException>(() => new Struct(Person).Put("name", "Ada").GetInt32("name"));

        Assert.Equal("Field 'name' is not of type INT32", error.Message);
    }

    [Fact]
    public void Struct_Validate_WithARequiredFieldMissing_Throws()
    {
        var value = new Struct(Person).Put("age", 1);

        var error = Assert.Throws<DataException>(value.Validate);

        Assert.Equal("Invalid value: null used for required field: \"name\", schema type: STRING", error.Message);
    }

    [Fact]
    public void Struct_Validate_WithEveryRequiredFieldSetOrDefaulted_Passes()
    {
        new Struct(Person).Put("name", "Ada").Validate();
    }

    [Fact]
    public void Struct_NestedStructOfAnotherSchema_IsRefused()
    {
        var other = SchemaBuilder.Struct().WithName("Elsewhere").Field("city", Schema.String).Optional().Build();

        var error = Assert.Throws<DataException>(() => new Struct(Person).Put("address", new Struct(other).Put("city", "Delft")));

        Assert.Equal("Struct schemas do not match.", error.Message);
    }

    [Fact]
    public void Struct_NestedStructOfTheSameSchema_IsAccepted()
    {
        var addressSchema = Person.Field("address")!.Schema;

        var value = new Struct(Person).Put("name", "Ada").Put("address", new Struct(addressSchema).Put("city", "Delft"));

        Assert.Equal("Delft", value.GetStruct("address")!.GetString("city"));
    }

    [Fact]
    public void Struct_ArrayWithAnElementOfTheWrongType_IsRefused()
    {
        var error = Assert.Throws<DataException>(() => new Struct(Person).Put("tags", new List<object?> { "a", 1 }));

        Assert.Equal("Invalid Java object for schema with type STRING: class System.Int32 for element of array field: \"tags\"", error.Message);
    }

    [Fact]
    public void Struct_OfANonStructSchema_IsRefused()
    {
        var error = Assert.Throws<DataException>(() => new Struct(Schema.Int32));

        Assert.Equal("Not a struct schema: Schema{INT32}", error.Message);
    }

    [Fact]
    public void Struct_Equality_ComparesSchemaAndValuesByContent()
    {
        var bytesSchema = SchemaBuilder.Struct().Field("b", Schema.Bytes).Build();

        Assert.Equal(new Struct(bytesSchema).Put("b", new byte[] { 1, 2 }), new Struct(bytesSchema).Put("b", new byte[] { 1, 2 }));
        Assert.NotEqual(new Struct(bytesSchema).Put("b", new byte[] { 1, 2 }), new Struct(bytesSchema).Put("b", new byte[] { 2, 1 }));
        Assert.NotEqual(new Struct(Address).Put("city", "Delft"), new Struct(Person.Field("address")!.Schema).Put("city", "Delft"));
    }

    [Fact]
    public void Struct_ToString_ShowsTheSetFields()
    {
        var value = new Struct(Person).Put("name", "Ada").Put("tags", new List<object?> { "x", "y" });

        Assert.Equal("Struct{name=Ada,tags=[x, y]}", value.ToString());
    }
}
