using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class HeaderTransformTests
{
    private static SourceRecord WithHeaders(params (string Key, string Value)[] headers)
    {
        var record = Value(Schema.String, "value", timestamp: 5);
        foreach (var (key, value) in headers)
        {
            record.Headers.AddString(key, value);
        }

        return record;
    }

    [Fact]
    public void DropHeaders_RemovesEveryHeaderWithTheNamesAndKeepsTheRest()
    {
        var original = WithHeaders(("a", "1"), ("b", "2"), ("a", "3"), ("c", "4"));
        var result = new DropHeaders<SourceRecord>().Configured(("headers", "a,c")).Apply(original)!;
        Assert.Equal(["b"], result.Headers.Select(h => h.Key));
        Assert.Equal(4, original.Headers.Count);
        Assert.Equal("value", result.Value);
        Assert.Equal(5, result.Timestamp);
    }

    [Fact]
    public void DropHeaders_WithEmptyList_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new DropHeaders<SourceRecord>().Configured(("headers", "")));

    [Fact]
    public void InsertHeader_AddsTheLiteralTypedAsKafkaParsesIt()
    {
        var original = WithHeaders(("existing", "x"));
        var number = new InsertHeader<SourceRecord>().Configured(("header", "n"), ("value.literal", "1")).Apply(original)!;
        Assert.Equal(new ConnectHeader("n", Schema.Int8, (sbyte)1), number.Headers.LastWithName("n"));
        Assert.Equal(2, number.Headers.Count);
        Assert.Single(original.Headers);

        var text = new InsertHeader<SourceRecord>().Configured(("header", "t"), ("value.literal", "hello world")).Apply(original)!;
        Assert.Equal(new ConnectHeader("t", Schema.String, "hello world"), text.Headers.LastWithName("t"));

        var flag = new InsertHeader<SourceRecord>().Configured(("header", "f"), ("value.literal", "true")).Apply(original)!;
        Assert.Equal(true, flag.Headers.LastWithName("f")!.Value);
    }

    [Fact]
    public void InsertHeader_WithoutHeaderOrValue_ThrowsConfigException()
    {
        Assert.Throws<ConfigException>(() => new InsertHeader<SourceRecord>().Configured(("header", null!), ("value.literal", "1")));
        Assert.Throws<ConfigException>(() => new InsertHeader<SourceRecord>().Configured(("header", "h"), ("value.literal", null!)));
        Assert.Throws<ConfigException>(() => new InsertHeader<SourceRecord>().Configured(("header", "h")));
    }

    private static readonly Schema ValueSchema = SchemaBuilder.Struct()
        .Field("field1", Schema.String)
        .Field("field2", SchemaBuilder.Int32().Optional().DefaultValue(3).Build())
        .Field("keep", Schema.Boolean)
        .Build();

    [Fact]
    public void HeaderFrom_CopyFromStructValue_AddsTypedHeadersAndKeepsFields()
    {
        var value = new Struct(ValueSchema).Put("field1", "one").Put("field2", 2).Put("keep", true);
        var original = WithHeaders(("old", "x"));
        var record = original.NewRecord("topic", 0, null, null, ValueSchema, value, 1);
        var result = new HeaderFromValue<SourceRecord>().Configured(("fields", "field1,field2"), ("headers", "h1,h2"), ("operation", "copy")).Apply(record)!;

        Assert.Same(ValueSchema, result.ValueSchema);
        Assert.Same(value, result.Value);
        Assert.Equal(["old", "h1", "h2"], result.Headers.Select(h => h.Key));
        Assert.Equal(new ConnectHeader("h1", Schema.String, "one"), result.Headers.LastWithName("h1"));
        Assert.Equal(2, result.Headers.LastWithName("h2")!.Value);
        Assert.Single(record.Headers);
    }

    [Fact]
    public void HeaderFrom_MoveFromStructKey_RemovesFieldsFromKeyAndSchema()
    {
        var key = new Struct(ValueSchema).Put("field1", "one").Put("keep", false);
        var record = new SourceRecord(null, null, "topic", 0, ValueSchema, key, null, null);
        var result = new HeaderFromKey<SourceRecord>().Configured(("fields", "field1,field2"), ("headers", "h1,h2"), ("operation", "move")).Apply(record)!;

        Assert.Equal(["keep"], result.KeySchema!.Fields.Select(f => f.Name));
        Assert.Equal(false, ((Struct)result.Key!).Get("keep"));
        Assert.Equal(3, result.Headers.LastWithName("h2")!.Value);
    }

    [Fact]
    public void HeaderFrom_WithoutReplaceNullWithDefault_CopiesNull()
    {
        var value = new Struct(ValueSchema).Put("field1", "one").Put("keep", true);
        var result = new HeaderFromValue<SourceRecord>()
            .Configured(("fields", "field2"), ("headers", "h2"), ("operation", "copy"), ("replace.null.with.default", "false"))
            .Apply(Value(ValueSchema, value))!;
        Assert.Null(result.Headers.LastWithName("h2")!.Value);
    }

    [Fact]
    public void HeaderFrom_MoveFromSchemalessValue_RemovesEntriesAndAddsSchemalessHeaders()
    {
        var result = new HeaderFromValue<SourceRecord>().Configured(("fields", "a,missing"), ("headers", "ha,hm"), ("operation", "move"))
            .Apply(Value(null, Map(("a", 1), ("b", 2))))!;
        var map = AsMap(result.Value);
        Assert.False(map.ContainsKey("a"));
        Assert.Equal(2, map["b"]);
        Assert.Equal(new ConnectHeader("ha", null, 1), result.Headers.LastWithName("ha"));
        Assert.Equal(new ConnectHeader("hm", null, null), result.Headers.LastWithName("hm"));
    }

    [Fact]
    public void HeaderFrom_OnSchemalessValueThatIsNotAMap_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new HeaderFromValue<SourceRecord>().Configured(("fields", "a"), ("headers", "h"), ("operation", "copy"))
            .Apply(Value(null, "text")));

    [Fact]
    public void HeaderFrom_FieldMissingFromSchema_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new HeaderFromValue<SourceRecord>().Configured(("fields", "nope"), ("headers", "h"), ("operation", "copy"))
            .Apply(Value(ValueSchema, new Struct(ValueSchema).Put("field1", "x").Put("keep", true))));

    [Theory]
    [InlineData("a,b", "h", "copy")]
    [InlineData("a", "h", "steal")]
    [InlineData("", "", "copy")]
    public void HeaderFrom_WithInvalidConfig_ThrowsConfigException(string fields, string headers, string operation) =>
        Assert.Throws<ConfigException>(() => new HeaderFromValue<SourceRecord>().Configured(("fields", fields), ("headers", headers), ("operation", operation)));
}
