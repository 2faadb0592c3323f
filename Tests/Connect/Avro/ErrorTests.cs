using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Avro;
using Tributary.Tests.Connect.Avro.Support;

namespace Tributary.Tests.Connect.Avro;

/// <summary>What the converter refuses, and how: Connect's DataException for bad data, ConfigException for bad settings.</summary>
public sealed class ErrorTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public void UnknownSchemaId_IsADataException()
    {
        using var converter = registry.Converter();

        var error = Assert.Throws<DataException>(() => converter.ToConnectData("errors", [0, 0, 0, 0x7F, 0x7F, 2, 4]));

        Assert.StartsWith("Failed to deserialize data for topic errors to Avro:", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 2 })]
    [InlineData(new byte[] { 0, 0, 1 })]
    [InlineData(new byte[0])]
    public void WrongMagicByte_OrShortData_IsADataException(byte[] data)
    {
        using var converter = registry.Converter();

        var error = Assert.Throws<DataException>(() => converter.ToConnectData("errors", data));

        Assert.Contains("Unknown magic byte!", error.Message);
    }

    [Fact]
    public void TruncatedAvro_IsADataException()
    {
        var schema = SchemaBuilder.Struct().WithName("Trunc").Field("s", Schema.String).Build();
        using var converter = registry.Converter();
        var bytes = converter.FromConnectData("errors-truncated", schema, new Struct(schema).Put("s", "a long enough string"))!;

        Assert.Throws<DataException>(() => converter.ToConnectData("errors-truncated", bytes[..8]));
    }

    [Fact]
    public void AnArrayClaimingMoreItemsThanItsBytesCanHold_IsADataException_BeforeAnythingIsAllocated()
    {
        var schema = SchemaBuilder.Struct().WithName("Bag").Field("names", SchemaBuilder.Array(Schema.String).Build()).Build();
        using var converter = registry.Converter();
        var bytes = converter.FromConnectData("errors-items", schema, new Struct(schema).Put("names", new List<object?> { "a" }))!;

        // The same header, then an array of a hundred million strings in four bytes.
        byte[] claiming = [.. bytes[..5], 0x80, 0x84, 0xAF, 0x5F, 0];
        var error = Assert.Throws<DataException>(() => converter.ToConnectData("errors-items", claiming));

        Assert.Contains("claims 100000000 more items than its data can hold", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NullForARequiredSchema_IsADataException()
    {
        using var converter = registry.Converter();

        Assert.Throws<DataException>(() => converter.FromConnectData("errors", Schema.String, null));
    }

    [Fact]
    public void AValueOfTheWrongType_IsADataException()
    {
        using var converter = registry.Converter();

        Assert.Throws<DataException>(() => converter.FromConnectData("errors", Schema.Int32, "not a number"));
    }

    [Fact]
    public void SchemalessValues_AreRefused()
    {
        using var converter = registry.Converter();

        Assert.Throws<DataException>(() => converter.FromConnectData("errors", null, 5));
    }

    [Fact]
    public void TheRegistryUrl_IsRequired()
    {
        using var converter = new AvroConverter();

        Assert.Throws<ConfigException>(() => converter.Configure(new Dictionary<string, string>(), false));
    }

    [Fact]
    public void AnUnreachableRegistry_IsRetriable()
    {
        using var converter = new AvroConverter();
        converter.Configure(new Dictionary<string, string> { ["schema.registry.url"] = "http://localhost:1", ["max.retries"] = "0" }, false);

        Assert.Throws<Tributary.Grains.Connect.Api.RetriableException>(() => converter.FromConnectData("errors", Schema.String, "x"));
    }

    [Fact]
    public void ThePlugin_AnswersToConfluentsClassName_AndReportsAVersion()
    {
        var attribute = (ConnectPluginAttribute)Attribute.GetCustomAttribute(typeof(AvroConverter), typeof(ConnectPluginAttribute))!;

        Assert.Equal(["io.confluent.connect.avro.AvroConverter"], attribute.ClassNames);
        Assert.False(string.IsNullOrEmpty(new AvroConverter().Version));
    }
}
