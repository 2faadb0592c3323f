using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class ValueToKeyTests
{
    [Fact]
    public void ValueToKey_OnSchemalessValue_BuildsAMapKey()
    {
        var result = new ValueToKey<SinkRecord>().Configured(("fields", "a,b")).Apply(Sink(null, Map(("a", 1), ("b", 2), ("c", 3))))!;
        Assert.Null(result.KeySchema);
        var key = AsMap(result.Key);
        Assert.Equal(2, key.Count);
        Assert.Equal(1, key["a"]);
        Assert.Equal(2, key["b"]);
        Assert.Equal(3, AsMap(result.Value)["c"]);
    }

    [Fact]
    public void ValueToKey_OnStructValue_BuildsAStructKeyWithTheFieldSchemas()
    {
        var schema = SchemaBuilder.Struct().Field("a", Schema.Int32).Field("b", Schema.String).Field("c", Schema.Int32).Build();
        var result = new ValueToKey<SinkRecord>().Configured(("fields", "a,b")).Apply(Sink(schema, new Struct(schema).Put("a", 1).Put("b", "2").Put("c", 3)))!;
        Assert.Equal(SchemaBuilder.Struct().Field("a", Schema.Int32).Field("b", Schema.String).Build(), result.KeySchema);
        var key = (Struct)result.Key!;
        Assert.Equal(1, key.Get("a"));
        Assert.Equal("2", key.Get("b"));
        Assert.Same(schema, result.ValueSchema);
    }

    [Fact]
    public void ValueToKey_MissingField_ThrowsDataException()
    {
        var schema = SchemaBuilder.Struct().Field("a", Schema.Int32).Build();
        var ex = Assert.Throws<DataException>(() => new ValueToKey<SinkRecord>().Configured(("fields", "a,not_exist")).Apply(Sink(schema, new Struct(schema).Put("a", 1))));
        Assert.Equal("Field does not exist: not_exist", ex.Message);
    }

    [Fact]
    public void ValueToKey_WithoutReplaceNullWithDefault_KeepsNull()
    {
        var schema = SchemaBuilder.Struct().Field("a", SchemaBuilder.Int32().Optional().DefaultValue(4).Build()).Build();
        var result = new ValueToKey<SinkRecord>().Configured(("fields", "a"), ("replace.null.with.default", "false")).Apply(Sink(schema, new Struct(schema)))!;
        Assert.Null(((Struct)result.Key!).GetWithoutDefault("a"));
    }

    [Fact]
    public void ValueToKey_SchemalessValueThatIsNotAMap_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new ValueToKey<SinkRecord>().Configured(("fields", "a")).Apply(Sink(null, "x")));

    [Fact]
    public void ValueToKey_WithoutFields_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new ValueToKey<SinkRecord>().Configured(("fields", "")));
}
