using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class FlattenTests
{
    [Fact]
    public void Flatten_NestedStructValue_JoinsNamesWithTheDelimiter()
    {
        var leaf = SchemaBuilder.Struct().Field("int", Schema.Int32).Field("list", SchemaBuilder.Array(Schema.String).Build()).Build();
        var middle = SchemaBuilder.Struct().Field("leaf", leaf).Field("s", Schema.String).Build();
        var schema = SchemaBuilder.Struct().Field("A", middle).Field("B", Schema.Boolean).Build();
        var value = new Struct(schema)
            .Put("A", new Struct(middle).Put("leaf", new Struct(leaf).Put("int", 1).Put("list", new List<object?> { "x" })).Put("s", "str"))
            .Put("B", true);

        var result = new FlattenValue<SourceRecord>().Configured(("delimiter", "#")).Apply(Value(schema, value))!;

        var flat = Assert.IsType<Struct>(result.Value);
        Assert.Equal(["A#leaf#int", "A#leaf#list", "A#s", "B"], result.ValueSchema!.Fields.Select(f => f.Name));
        Assert.Equal(1, flat.Get("A#leaf#int"));
        Assert.Equal("str", flat.Get("A#s"));
        Assert.Equal(true, flat.Get("B"));
        Assert.Equal(new List<object?> { "x" }, flat.Get("A#leaf#list"));
    }

    [Fact]
    public void Flatten_OptionalParentStruct_MakesChildFieldsOptional()
    {
        var inner = SchemaBuilder.Struct().Field("req", Schema.String).Optional().Build();
        var schema = SchemaBuilder.Struct().Field("inner", inner).Build();
        var result = new FlattenValue<SourceRecord>().Configured().Apply(Value(schema, new Struct(schema)))!;
        Assert.True(result.ValueSchema!.Field("inner.req")!.Schema.IsOptional);
        Assert.Null(((Struct)result.Value!).Get("inner.req"));
    }

    [Fact]
    public void Flatten_NestedFieldDefault_IsKeptOnTheFlattenedField()
    {
        var inner = SchemaBuilder.Struct().Field("n", SchemaBuilder.Int32().DefaultValue(9).Build()).Build();
        var schema = SchemaBuilder.Struct().Field("inner", inner).Build();
        var result = new FlattenValue<SourceRecord>().Configured().Apply(Value(schema, new Struct(schema).Put("inner", new Struct(inner))))!;
        Assert.Equal(9, result.ValueSchema!.Field("inner.n")!.Schema.DefaultValue);
        Assert.Equal(9, ((Struct)result.Value!).Get("inner.n"));
    }

    [Fact]
    public void Flatten_MapInsideStructSchema_ThrowsDataException()
    {
        var schema = SchemaBuilder.Struct().Field("map", SchemaBuilder.Map(Schema.String, Schema.String).Build()).Build();
        Assert.Throws<DataException>(() => new FlattenValue<SourceRecord>().Configured().Apply(Value(schema, new Struct(schema).Put("map", new Dictionary<object, object?>()))));
    }

    [Fact]
    public void Flatten_SchemalessNestedMaps_FlattensEveryLevel()
    {
        var value = Map(("A", Map(("B", Map(("int", 1), ("nil", null))), ("list", new List<object?> { 1 }))), ("top", "x"));
        var result = AsMap(new FlattenKey<SourceRecord>().Configured().Apply(Key(null, value))!.Key);
        Assert.Equal(1, result["A.B.int"]);
        Assert.Null(result["A.B.nil"]);
        Assert.True(result.ContainsKey("A.B.nil"));
        Assert.Equal(new List<object?> { 1 }, result["A.list"]);
        Assert.Equal("x", result["top"]);
    }

    [Fact]
    public void Flatten_SchemalessValueThatIsNotAMap_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new FlattenValue<SourceRecord>().Configured().Apply(Value(null, 42)));

    [Fact]
    public void Flatten_SchemalessValueWithUnsupportedType_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new FlattenValue<SourceRecord>().Configured().Apply(Value(null, Map(("d", 1.5m)))));

    [Fact]
    public void Flatten_Tombstone_PassesThrough()
    {
        var record = Value(SchemaBuilder.Struct().Optional().Build(), null);
        Assert.Same(record, new FlattenValue<SourceRecord>().Configured().Apply(record));
    }

    [Fact]
    public void Flatten_SameSchemaTwice_ReusesTheDerivedSchema()
    {
        var inner = SchemaBuilder.Struct().Field("a", Schema.Int32).Build();
        var schema = SchemaBuilder.Struct().Field("in", inner).Build();
        var xform = new FlattenValue<SourceRecord>().Configured();
        var first = xform.Apply(Value(schema, new Struct(schema).Put("in", new Struct(inner).Put("a", 1))))!;
        var second = xform.Apply(Value(schema, new Struct(schema).Put("in", new Struct(inner).Put("a", 2))))!;
        Assert.Same(first.ValueSchema, second.ValueSchema);
    }
}
