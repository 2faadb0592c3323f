using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Tests.Connect.Api.Data;

public sealed class SchemaBuilderTests
{
    [Fact]
    public void SchemaBuilder_BuildsEveryPart_AsSet()
    {
        var schema = SchemaBuilder.Int32().Optional().DefaultValue(7).WithName("com.example.Count").WithVersion(2).WithDoc("a count")
            .Parameter("unit", "items").Build();

        Assert.Equal(SchemaType.Int32, schema.Type);
        Assert.True(schema.IsOptional);
        Assert.Equal(7, schema.DefaultValue);
        Assert.Equal("com.example.Count", schema.Name);
        Assert.Equal(2, schema.Version);
        Assert.Equal("a count", schema.Doc);
        Assert.Equal("items", schema.Parameters!["unit"]);
    }

    [Fact]
    public void SchemaBuilder_SettingNameTwice_ThrowsKafkasMessage()
    {
        var builder = SchemaBuilder.String().WithName("a");

        var error = Assert.Throws<SchemaBuilderException>(() => builder.WithName("b"));

        Assert.Equal("Invalid SchemaBuilder call: name has already been set.", error.Message);
    }

    [Fact]
    public void SchemaBuilder_SettingTheSameValueAgain_IsAllowed()
    {
        var schema = SchemaBuilder.String().WithName("a").WithName("a").Optional().Optional().DefaultValue("x").DefaultValue("x").Build();

        Assert.Equal("a", schema.Name);
        Assert.True(schema.IsOptional);
    }

    [Fact]
    public void SchemaBuilder_OptionalThenRequired_ThrowsOptionalityAlreadySet()
    {
        var error = Assert.Throws<SchemaBuilderException>(() => SchemaBuilder.Int8().Optional().Required());

        Assert.Equal("Invalid SchemaBuilder call: optionality has already been set.", error.Message);
    }

    [Theory]
    [InlineData("version")]
    [InlineData("doc")]
    [InlineData("default")]
    public void SchemaBuilder_ChangingASetProperty_Throws(string property)
    {
        var builder = SchemaBuilder.Int64().WithVersion(1).WithDoc("d").DefaultValue(1L);

        var error = Assert.Throws<SchemaBuilderException>(() => property switch
        {
            "version" => builder.WithVersion(2),
            "doc" => builder.WithDoc("other"),
            _ => builder.DefaultValue(2L),
        });

        Assert.Equal($"Invalid SchemaBuilder call: {property} has already been set.", error.Message);
    }

    [Fact]
    public void SchemaBuilder_StructFields_KeepTheirOrderAndIndexes()
    {
        var schema = SchemaBuilder.Struct().Field("id", Schema.Int64).Field("name", Schema.OptionalString).Field("tags", SchemaBuilder.Array(Schema.String).Build()).Build();

        Assert.Equal(["id", "name", "tags"], schema.Fields.Select(f => f.Name));
        Assert.Equal([0, 1, 2], schema.Fields.Select(f => f.Index));
        Assert.Equal(Schema.OptionalString, schema.Field("name")!.Schema);
        Assert.Null(schema.Field("missing"));
    }

    [Fact]
    public void SchemaBuilder_DuplicateFieldName_Throws()
    {
        var builder = SchemaBuilder.Struct().Field("id", Schema.Int64);

        var error = Assert.Throws<SchemaBuilderException>(() => builder.Field("id", Schema.String));

        Assert.Equal("Cannot create field because of field name duplication id", error.Message);
    }

    [Fact]
    public void SchemaBuilder_FieldOnNonStruct_Throws()
    {
        var error = Assert.Throws<SchemaBuilderException>(() => SchemaBuilder.Int32().Field("x", Schema.Int32));

        Assert.Equal("Cannot create fields on type INT32", error.Message);
    }

    [Fact]
    public void SchemaBuilder_EmptyFieldName_Throws()
    {
        Assert.Throws<SchemaBuilderException>(() => SchemaBuilder.Struct().Field("", Schema.Int32));
    }

    [Fact]
    public void SchemaBuilder_DefaultOfTheWrongType_ThrowsInvalidDefaultValue()
    {
        var error = Assert.Throws<SchemaBuilderException>(() => SchemaBuilder.Int32().DefaultValue("seven").Build());

        Assert.Equal("Invalid default value", error.Message);
        Assert.IsType<DataException>(error.InnerException);
    }

    [Fact]
    public void SchemaBuilder_LookingUpFieldsOfANonStruct_Throws()
    {
        Assert.Throws<DataException>(() => Schema.Int32.Field("x"));
        Assert.Throws<DataException>(() => SchemaBuilder.Int32().Fields);
    }

    [Fact]
    public void SchemaBuilder_ArrayAndMap_CarryTheirItemSchemas()
    {
        var array = SchemaBuilder.Array(Schema.Int32).Build();
        var map = SchemaBuilder.Map(Schema.String, Schema.OptionalFloat64).Build();

        Assert.Equal(Schema.Int32, array.ValueSchema);
        Assert.Null(array.KeySchema);
        Assert.Equal(Schema.String, map.KeySchema);
        Assert.Equal(Schema.OptionalFloat64, map.ValueSchema);
        Assert.Empty(map.Fields);
    }

    [Fact]
    public void SchemaBuilder_CopyOf_CopiesEveryPartAndTheFields()
    {
        var original = SchemaBuilder.Struct().WithName("n").WithVersion(3).WithDoc("d").Optional().Parameter("p", "v")
            .Field("a", Schema.Int32).Build();

        Assert.Equal(original, SchemaBuilder.CopyOf(original).Build());
        Assert.Empty(SchemaBuilder.CopyOf(original, withFields: false).Build().Fields);
    }
}
