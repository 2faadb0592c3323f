using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Tests.Connect.Api.Data;

public sealed class SchemaTests
{
    private static Schema Person(string? doc = null, int? version = null) =>
        SchemaBuilder.Struct().WithName("Person").WithDoc(doc).WithVersion(version)
            .Field("name", Schema.String)
            .Field("age", Schema.OptionalInt32)
            .Build();

    [Fact]
    public void Schema_BuiltTwiceTheSameWay_IsEqual_WithTheSameHashCode()
    {
        Assert.Equal(Person(), Person());
        Assert.Equal(Person().GetHashCode(), Person().GetHashCode());
    }

    [Fact]
    public void Schema_PrimitiveBuilt_EqualsTheSharedInstance()
    {
        Assert.Equal(Schema.Int32, SchemaBuilder.Int32().Build());
        Assert.Equal(Schema.OptionalString, SchemaBuilder.String().Optional().Build());
        Assert.NotEqual(Schema.String, Schema.OptionalString);
    }

    [Fact]
    public void Schema_DifferingInDocOrVersion_IsNotEqual()
    {
        Assert.NotEqual(Person(), Person(doc: "x"));
        Assert.NotEqual(Person(), Person(version: 1));
    }

    [Fact]
    public void Schema_DifferingInFieldOrder_IsNotEqual()
    {
        var reordered = SchemaBuilder.Struct().WithName("Person").Field("age", Schema.OptionalInt32).Field("name", Schema.String).Build();

        Assert.NotEqual(Person(), reordered);
    }

    [Fact]
    public void Schema_DifferingInParameters_IsNotEqual()
    {
        Assert.NotEqual(LogicalTypes.Decimal(2).Build(), LogicalTypes.Decimal(3).Build());
        Assert.Equal(LogicalTypes.Decimal(2).Build(), LogicalTypes.Decimal(2).Build());
    }

    [Fact]
    public void Schema_ByteArrayDefaults_CompareByContent()
    {
        var a = SchemaBuilder.Bytes().DefaultValue(new byte[] { 1, 2 }).Build();
        var b = SchemaBuilder.Bytes().DefaultValue(new byte[] { 1, 2 }).Build();
        var c = SchemaBuilder.Bytes().DefaultValue(new byte[] { 1, 3 }).Build();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Schema_ArraysAndMaps_CompareTheirItemSchemas()
    {
        Assert.Equal(SchemaBuilder.Array(Schema.Int32).Build(), SchemaBuilder.Array(Schema.Int32).Build());
        Assert.NotEqual(SchemaBuilder.Array(Schema.Int32).Build(), SchemaBuilder.Array(Schema.Int64).Build());
        Assert.NotEqual(SchemaBuilder.Map(Schema.String, Schema.Int32).Build(), SchemaBuilder.Map(Schema.Int32, Schema.Int32).Build());
    }

    [Fact]
    public void Schema_ToString_ShowsNameAndType()
    {
        Assert.Equal("Schema{INT32}", Schema.Int32.ToString());
        Assert.Equal("Schema{Person:STRUCT}", Person().ToString());
    }

    [Fact]
    public void Schema_Parameters_CannotBeChangedThroughTheBuilderAfterBuild()
    {
        var builder = SchemaBuilder.String().Parameter("a", "1");
        var schema = builder.Build();

        builder.Parameter("b", "2");

        Assert.Single(schema.Parameters!);
    }
}
