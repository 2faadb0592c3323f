using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class ReplaceFieldTests
{
    [Fact]
    public void ReplaceField_OnSchemalessValue_ExcludesIncludesAndRenames()
    {
        var xform = new ReplaceFieldValue<SourceRecord>().Configured(("exclude", "dont"), ("renames", "abc:xyz,foo:bar"));
        var result = AsMap(xform.Apply(Value(null, Map(("dont", "whatever"), ("abc", 42), ("foo", true), ("etc", "etc"))))!.Value);
        Assert.Equal(3, result.Count);
        Assert.Equal(42, result["xyz"]);
        Assert.Equal(true, result["bar"]);
        Assert.Equal("etc", result["etc"]);
    }

    [Fact]
    public void ReplaceField_OnStructValue_BuildsTheNarrowerRenamedSchema()
    {
        var schema = SchemaBuilder.Struct().WithName("n").Field("dont", Schema.String).Field("abc", Schema.Int32).Field("foo", Schema.Boolean).Field("etc", Schema.String).Build();
        var value = new Struct(schema).Put("dont", "whatever").Put("abc", 42).Put("foo", true).Put("etc", "etc");
        var result = new ReplaceFieldValue<SourceRecord>().Configured(("include", "abc,foo"), ("renames", "abc:xyz,foo:bar")).Apply(Value(schema, value))!;
        Assert.Equal("n", result.ValueSchema!.Name);
        Assert.Equal(["xyz", "bar"], result.ValueSchema.Fields.Select(f => f.Name));
        var updated = (Struct)result.Value!;
        Assert.Equal(42, updated.Get("xyz"));
        Assert.Equal(true, updated.Get("bar"));
    }

    [Fact]
    public void ReplaceField_ExcludeWinsOverInclude()
    {
        var result = AsMap(new ReplaceFieldKey<SourceRecord>().Configured(("include", "a,b"), ("exclude", "b")).Apply(Key(null, Map(("a", 1), ("b", 2), ("c", 3))))!.Key);
        Assert.Equal(["a"], result.Keys);
    }

    [Fact]
    public void ReplaceField_DeprecatedBlacklistAndWhitelist_StillWork()
    {
        var result = AsMap(new ReplaceFieldValue<SourceRecord>().Configured(("whitelist", "a,b"), ("blacklist", "b")).Apply(Value(null, Map(("a", 1), ("b", 2), ("c", 3))))!.Value);
        Assert.Equal(["a"], result.Keys);
    }

    [Fact]
    public void ReplaceField_WithoutReplaceNullWithDefault_KeepsNull()
    {
        var schema = SchemaBuilder.Struct().Field("a", SchemaBuilder.Int32().Optional().DefaultValue(1).Build()).Build();
        var result = new ReplaceFieldValue<SourceRecord>().Configured(("renames", "a:b"), ("replace.null.with.default", "false")).Apply(Value(schema, new Struct(schema)))!;
        Assert.Null(((Struct)result.Value!).GetWithoutDefault("b"));
        var withDefault = new ReplaceFieldValue<SourceRecord>().Configured(("renames", "a:b")).Apply(Value(schema, new Struct(schema)))!;
        Assert.Equal(1, ((Struct)withDefault.Value!).GetWithoutDefault("b"));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a:b:c")]
    public void ReplaceField_WithBadRenameMapping_ThrowsConfigException(string renames) =>
        Assert.Throws<ConfigException>(() => new ReplaceFieldValue<SourceRecord>().Configured(("renames", renames)));

    [Fact]
    public void ReplaceField_OnTombstone_PassesThrough()
    {
        var record = Value(null, null);
        Assert.Same(record, new ReplaceFieldValue<SourceRecord>().Configured(("exclude", "a")).Apply(record));
    }

    [Fact]
    public void ReplaceField_OnSchemalessValueThatIsNotAMap_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new ReplaceFieldValue<SourceRecord>().Configured(("exclude", "a")).Apply(Value(null, 42)));
}
