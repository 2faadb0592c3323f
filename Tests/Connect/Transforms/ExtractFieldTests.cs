using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class ExtractFieldTests
{
    [Fact]
    public void ExtractField_OnSchemalessKey_ReturnsTheEntry()
    {
        var result = new ExtractFieldKey<SourceRecord>().Configured(("field", "magic")).Apply(Key(null, Map(("magic", 42))))!;
        Assert.Null(result.KeySchema);
        Assert.Equal(42, result.Key);
    }

    [Fact]
    public void ExtractField_OnStructValue_ReturnsTheFieldAndItsSchema()
    {
        var schema = SchemaBuilder.Struct().Field("magic", Schema.Int32).Build();
        var result = new ExtractFieldValue<SourceRecord>().Configured(("field", "magic")).Apply(Value(schema, new Struct(schema).Put("magic", 42)))!;
        Assert.Equal(Schema.Int32, result.ValueSchema);
        Assert.Equal(42, result.Value);
    }

    [Fact]
    public void ExtractField_OnNullValue_PassesNullWithTheFieldSchema()
    {
        var schema = SchemaBuilder.Struct().Field("magic", Schema.OptionalInt32).Optional().Build();
        var result = new ExtractFieldValue<SourceRecord>().Configured(("field", "magic")).Apply(Value(schema, null))!;
        Assert.Equal(Schema.OptionalInt32, result.ValueSchema);
        Assert.Null(result.Value);
        Assert.Null(new ExtractFieldValue<SourceRecord>().Configured(("field", "magic")).Apply(Value(null, null))!.Value);
    }

    [Fact]
    public void ExtractField_UnknownFieldWithSchema_ThrowsDataException()
    {
        var schema = SchemaBuilder.Struct().Field("magic", Schema.Int32).Build();
        var ex = Assert.Throws<DataException>(() =>
            new ExtractFieldValue<SourceRecord>().Configured(("field", "nope")).Apply(Value(schema, new Struct(schema).Put("magic", 1))));
        Assert.Equal("Unknown field: nope", ex.Message);
    }

    [Fact]
    public void ExtractField_UnknownFieldSchemaless_GivesNull() =>
        Assert.Null(new ExtractFieldValue<SourceRecord>().Configured(("field", "nope")).Apply(Value(null, Map(("magic", 1))))!.Value);

    [Fact]
    public void ExtractField_SchemalessValueThatIsNotAMap_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new ExtractFieldValue<SourceRecord>().Configured(("field", "a")).Apply(Value(null, "text")));

    [Fact]
    public void ExtractField_WithSyntaxV2_ReadsNestedStructsAndMaps()
    {
        var inner = SchemaBuilder.Struct().Field("c", Schema.Int32).Build();
        var schema = SchemaBuilder.Struct().Field("a.b", inner).Build();
        var value = new Struct(schema).Put("a.b", new Struct(inner).Put("c", 7));
        var xform = new ExtractFieldValue<SourceRecord>().Configured(("field", "`a.b`.c"), ("field.syntax.version", "v2"));
        Assert.Equal(7, xform.Apply(Value(schema, value))!.Value);

        var nested = new ExtractFieldValue<SourceRecord>().Configured(("field", "x.y"), ("field.syntax.version", "V2"));
        Assert.Equal("deep", nested.Apply(Value(null, Map(("x", Map(("y", "deep"))))))!.Value);
    }

    [Fact]
    public void ExtractField_WithSyntaxV1_TreatsDotsAsPartOfTheName() =>
        Assert.Equal(1, new ExtractFieldValue<SourceRecord>().Configured(("field", "x.y")).Apply(Value(null, Map(("x.y", 1))))!.Value);

    [Fact]
    public void ExtractField_WithUnknownSyntaxVersion_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new ExtractFieldValue<SourceRecord>().Configured(("field", "a"), ("field.syntax.version", "V3")));

    [Fact]
    public void ExtractField_WithoutReplaceNullWithDefault_ReturnsNullNotDefault()
    {
        var schema = SchemaBuilder.Struct().Field("a", SchemaBuilder.Int32().Optional().DefaultValue(5).Build()).Build();
        var value = new Struct(schema);
        Assert.Equal(5, new ExtractFieldValue<SourceRecord>().Configured(("field", "a")).Apply(Value(schema, value))!.Value);
        Assert.Null(new ExtractFieldValue<SourceRecord>().Configured(("field", "a"), ("replace.null.with.default", "false")).Apply(Value(schema, value))!.Value);
    }

    [Fact]
    public void ExtractField_WithoutField_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new ExtractFieldValue<SourceRecord>().Configured());
}
