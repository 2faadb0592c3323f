using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Json;
using static Tributary.Tests.Connect.Converters.Json.JsonConverterFixture;

namespace Tributary.Tests.Connect.Converters.Json;

/// <summary>The JSON converter's configuration keys, defaults, validation and schema caches.</summary>
public sealed class JsonConverterConfigTests
{
    [Fact]
    public void Config_DefinesKafkasKeysAndDefaults()
    {
        var keys = new JsonConverter().Config.ConfigKeys;

        Assert.Equal(true, keys["schemas.enable"].DefaultValue);
        Assert.Equal(1000, keys["schemas.cache.size"].DefaultValue);
        Assert.Equal("BASE64", keys["decimal.format"].DefaultValue);
        Assert.Equal(true, keys["replace.null.with.default"].DefaultValue);
        Assert.False(keys["converter.type"].HasDefault);
    }

    [Fact]
    public void Configure_DecimalFormatIgnoresCase()
    {
        Assert.Equal(DecimalFormat.Numeric, new JsonConverterConfig(new Dictionary<string, string> { ["converter.type"] = "value", ["decimal.format"] = "nUmErIc" }).DecimalFormat);
    }

    [Fact]
    public void Configure_UnknownDecimalFormat_ThrowsConfigException()
    {
        Assert.Throws<ConfigException>(() => Converter(("decimal.format", "STRING")));
    }

    [Fact]
    public void Configure_AsHeaderConverterWithoutType_WorksAsKafkasWorkerSetsTheType()
    {
        var converter = new JsonConverter();

        converter.Configure(new Dictionary<string, string> { ["schemas.enable"] = "false" });

        Assert.Equal("1", AsText(converter.FromConnectHeader(Topic, "h", Schema.Int32, 1)));
    }

    [Fact]
    public void SchemaCache_ToJson_ReusesEqualSchemasAndAddsDifferentOnes()
    {
        var converter = Converter();

        converter.FromConnectData(Topic, SchemaBuilder.Bool().Build(), true);
        converter.FromConnectData(Topic, SchemaBuilder.Bool().Build(), true);
        Assert.Equal(1, converter.CachedSchemasToJson);

        converter.FromConnectData(Topic, SchemaBuilder.Bool().Optional().Build(), true);
        Assert.Equal(2, converter.CachedSchemasToJson);
    }

    [Fact]
    public void SchemaCache_ToConnect_KeysOnTheSchemasJson()
    {
        var converter = Converter();

        converter.ToConnectData(Topic, Bytes("""{ "schema": { "type": "boolean" }, "payload": true }"""));
        converter.ToConnectData(Topic, Bytes("""{ "schema": { "type": "boolean" }, "payload": true }"""));
        Assert.Equal(1, converter.CachedSchemasToConnect);

        converter.ToConnectData(Topic, Bytes("""{ "schema": { "type": "boolean", "optional": true }, "payload": true }"""));
        converter.ToConnectData(Topic, Bytes("""{ "schema": { "type": "boolean", "optional": false }, "payload": true }"""));
        Assert.Equal(3, converter.CachedSchemasToConnect);
    }

    [Fact]
    public void SchemaCache_ToConnect_GivesRecordsWithTheSameSchemaBytesOneSchema_AndANewSchemaItsOwn()
    {
        var converter = Converter();
        const string record = """{"schema":{"type":"struct","fields":[{"field":"id","type":"int64"}]},"payload":{"id":1}}""";

        var first = converter.ToConnectData(Topic, Bytes(record));
        var second = converter.ToConnectData(Topic, Bytes(record.Replace("\"id\":1}", "\"id\":2}", StringComparison.Ordinal)));
        var other = converter.ToConnectData(Topic, Bytes(record.Replace("int64", "int32", StringComparison.Ordinal)));

        Assert.Same(first.Schema, second.Schema);
        Assert.Equal(2L, ((Struct)second.Value!).Get("id"));
        Assert.Equal(SchemaType.Int32, other.Schema!.Field("id")!.Schema.Type);
        Assert.Equal(1, ((Struct)other.Value!).Get("id"));
    }

    [Fact]
    public void SchemaCache_OfSizeZero_TranslatesEveryRecordsSchemaAnew()
    {
        var converter = Converter(("schemas.cache.size", "0"));
        const string record = """{"schema":{"type":"int64"},"payload":1}""";

        Assert.NotSame(converter.ToConnectData(Topic, Bytes(record)).Schema, converter.ToConnectData(Topic, Bytes(record)).Schema);
        Assert.Equal(0, converter.CachedSchemasToConnect);
    }

    [Fact]
    public void SchemaCache_HoldsNoMoreThanItsConfiguredSize()
    {
        var converter = Converter(("schemas.cache.size", "2"));

        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            converter.FromConnectData(Topic, SchemaBuilder.Int32().WithName(name).Build(), 1);
        }

        Assert.Equal(2, converter.CachedSchemasToJson);
    }

    [Fact]
    public void Version_IsKafkasRelease()
    {
        Assert.Equal("3.9.0", new JsonConverter().Version);
    }
}
