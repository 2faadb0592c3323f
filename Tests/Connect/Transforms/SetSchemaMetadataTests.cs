using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class SetSchemaMetadataTests
{
    [Fact]
    public void SetSchemaMetadata_OnStructValue_RenamesAndRebindsTheStruct()
    {
        var schema = SchemaBuilder.Struct().WithName("old").WithVersion(1).WithDoc("doc").Field("a", Schema.Int32).Build();
        var result = new SetSchemaMetadataValue<SourceRecord>().Configured(("schema.name", "foo"), ("schema.version", "42"))
            .Apply(Value(schema, new Struct(schema).Put("a", 7)))!;
        Assert.Equal("foo", result.ValueSchema!.Name);
        Assert.Equal(42, result.ValueSchema.Version);
        Assert.Equal("doc", result.ValueSchema.Doc);
        var value = Assert.IsType<Struct>(result.Value);
        Assert.Same(result.ValueSchema, value.Schema);
        Assert.Equal(7, value.Get("a"));
    }

    [Fact]
    public void SetSchemaMetadata_OnlyVersion_KeepsTheNameOfTheKeySchema()
    {
        var schema = SchemaBuilder.String().WithName("keep").Optional().Build();
        var result = new SetSchemaMetadataKey<SourceRecord>().Configured(("schema.version", "3")).Apply(Key(schema, "k"))!;
        Assert.Equal("keep", result.KeySchema!.Name);
        Assert.Equal(3, result.KeySchema.Version);
        Assert.True(result.KeySchema.IsOptional);
        Assert.Equal("k", result.Key);
    }

    [Fact]
    public void SetSchemaMetadata_OnMapAndArraySchemas_KeepsTheirInnerSchemas()
    {
        var map = SchemaBuilder.Map(Schema.String, Schema.Int32).Build();
        var result = new SetSchemaMetadataValue<SourceRecord>().Configured(("schema.name", "m")).Apply(Value(map, new Dictionary<object, object?>()))!;
        Assert.Equal(Schema.String, result.ValueSchema!.KeySchema);
        Assert.Equal(Schema.Int32, result.ValueSchema.ValueSchema);
        var array = SchemaBuilder.Array(Schema.String).Build();
        Assert.Equal(Schema.String, new SetSchemaMetadataValue<SourceRecord>().Configured(("schema.name", "a")).Apply(Value(array, new List<object?>()))!.ValueSchema!.ValueSchema);
    }

    [Fact]
    public void SetSchemaMetadata_WithoutReplaceNullWithDefault_KeepsNull()
    {
        var schema = SchemaBuilder.Struct().Field("a", SchemaBuilder.Int32().Optional().DefaultValue(1).Build()).Build();
        var result = new SetSchemaMetadataValue<SourceRecord>().Configured(("schema.name", "x"), ("replace.null.with.default", "false")).Apply(Value(schema, new Struct(schema)))!;
        Assert.Null(((Struct)result.Value!).GetWithoutDefault("a"));
    }

    [Fact]
    public void SetSchemaMetadata_SchemalessValue_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new SetSchemaMetadataValue<SourceRecord>().Configured(("schema.name", "x")).Apply(Value(null, Map())));

    [Fact]
    public void SetSchemaMetadata_NullValueWithoutSchema_PassesThrough()
    {
        var record = Value(null, null);
        Assert.Same(record, new SetSchemaMetadataValue<SourceRecord>().Configured(("schema.name", "x")).Apply(record));
    }

    [Fact]
    public void SetSchemaMetadata_WithNeitherNameNorVersion_ThrowsConfigException()
    {
        Assert.Throws<ConfigException>(() => new SetSchemaMetadataValue<SourceRecord>().Configured());
        Assert.Throws<ConfigException>(() => new SetSchemaMetadataValue<SourceRecord>().Configured(("schema.version", "x")));
    }
}
