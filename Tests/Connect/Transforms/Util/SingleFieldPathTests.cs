using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Tests.Connect.Transforms.Util;

public sealed class SingleFieldPathTests
{
    [Theory]
    [InlineData("..", new[] { "", "", "" })]
    [InlineData("foo..", new[] { "foo", "", "" })]
    [InlineData(".bar.", new[] { "", "bar", "" })]
    [InlineData("foobarbaz", new[] { "foobarbaz" })]
    [InlineData("foo.bar.baz", new[] { "foo", "bar", "baz" })]
    [InlineData("foo`bar`baz", new[] { "foo`bar`baz" })]
    [InlineData("`foo.bar.baz`", new[] { "foo.bar.baz" })]
    [InlineData("`foo.bar`.baz", new[] { "foo.bar", "baz" })]
    [InlineData("foo.`bar`.baz", new[] { "foo", "bar", "baz" })]
    [InlineData("foo.``bar.baz`", new[] { "foo", "`bar.baz" })]
    [InlineData("foo.`bar.baz``", new[] { "foo", "bar.baz`" })]
    [InlineData("foo.`ba`r.baz`", new[] { "foo", "ba`r.baz" })]
    [InlineData("foo.ba`r.baz", new[] { "foo", "ba`r", "baz" })]
    [InlineData("foo.``bar``.baz", new[] { "foo", "`bar`", "baz" })]
    [InlineData("``foo.bar.baz``", new[] { "`foo.bar.baz`" })]
    [InlineData("foo.`bar\\`.baz`", new[] { "foo", "bar`.baz" })]
    [InlineData("foo.`bar.`baz`", new[] { "foo", "bar.`baz" })]
    [InlineData("foo.`bar\\`.`baz`", new[] { "foo", "bar`.`baz" })]
    public void SingleFieldPath_V2_SplitsStepsLikeKafka(string path, string[] steps) =>
        Assert.Equal(steps, new SingleFieldPath(path, FieldSyntaxVersion.V2).Steps);

    [Theory]
    [InlineData("`foo.bar.baz", 0)]
    [InlineData("foo.`bar.baz", 4)]
    [InlineData("foo.bar.`baz", 8)]
    [InlineData("foo.bar.`baz\\`", 8)]
    public void SingleFieldPath_V2WithOpenBacktick_ThrowsConfigExceptionNamingThePosition(string path, int position)
    {
        var ex = Assert.Throws<ConfigException>(() => new SingleFieldPath(path, FieldSyntaxVersion.V2));
        Assert.Equal($"Incomplete backtick pair in path: [{path}], consider adding a backslash before backtick at position {position} to escape it", ex.Message);
    }

    [Fact]
    public void SingleFieldPath_V1_KeepsTheWholeTextAsOneStep() =>
        Assert.Equal(["foo.`bar`.baz"], new SingleFieldPath("foo.`bar`.baz", FieldSyntaxVersion.V1).Steps);

    [Fact]
    public void SingleFieldPath_FindsNestedFieldsAndValues()
    {
        var inner = SchemaBuilder.Struct().Field("b", Schema.Int32).Build();
        var schema = SchemaBuilder.Struct().Field("a", inner).Field("s", Schema.String).Build();
        var value = new Struct(schema).Put("a", new Struct(inner).Put("b", 3)).Put("s", "x");
        var path = new SingleFieldPath("a.b", FieldSyntaxVersion.V2);
        Assert.Equal(Schema.Int32, path.FieldFrom(schema)!.Schema);
        Assert.Equal(3, path.ValueFrom(value));
        Assert.Null(new SingleFieldPath("a.c", FieldSyntaxVersion.V2).FieldFrom(schema));
        Assert.Null(new SingleFieldPath("x.b", FieldSyntaxVersion.V2).ValueFrom(value));
        Assert.Throws<DataException>(() => new SingleFieldPath("s.b", FieldSyntaxVersion.V2).ValueFrom(value));
    }

    [Fact]
    public void FieldSyntax_AcceptsAnyCaseAndRefusesOthers()
    {
        var def = FieldSyntax.AppendConfigTo(new ConfigDef());
        Assert.Equal(FieldSyntaxVersion.V2, FieldSyntax.FromConfig(def.Parse(new Dictionary<string, string> { ["field.syntax.version"] = "v2" })));
        Assert.Equal(FieldSyntaxVersion.V1, FieldSyntax.FromConfig(def.Parse(new Dictionary<string, string>())));
        Assert.Throws<ConfigException>(() => def.Parse(new Dictionary<string, string> { ["field.syntax.version"] = "v3" }));
    }
}
