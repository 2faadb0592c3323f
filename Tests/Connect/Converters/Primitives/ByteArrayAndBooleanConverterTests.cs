using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Primitives;

namespace Tributary.Tests.Connect.Converters.Primitives;

/// <summary>The pass-through byte array converter and the one-byte boolean converter.</summary>
public sealed class ByteArrayAndBooleanConverterTests
{
    private const string Topic = "topic";

    [Fact]
    public void ByteArrayConverter_PassesBytesThroughBothWays()
    {
        var converter = new ByteArrayConverter();
        byte[] sample = [1, 2, 3];

        Assert.Same(sample, converter.FromConnectData(Topic, Schema.Bytes, sample));
        Assert.Same(sample, converter.FromConnectData(Topic, null, sample));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalBytes, sample), converter.ToConnectData(Topic, sample));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalBytes, null), converter.ToConnectHeader(Topic, "h", null));
        Assert.Null(converter.FromConnectData(Topic, Schema.OptionalBytes, null));
    }

    [Fact]
    public void ByteArrayConverter_OtherSchemaOrValue_ThrowsKafkasMessages()
    {
        var converter = new ByteArrayConverter();

        Assert.Equal("Invalid schema type for ByteArrayConverter: INT32",
            Assert.Throws<DataException>(() => converter.FromConnectData(Topic, Schema.Int32, new byte[1])).Message);
        Assert.Equal("ByteArrayConverter is not compatible with objects of type System.String",
            Assert.Throws<DataException>(() => converter.FromConnectData(Topic, Schema.Bytes, "x")).Message);
    }

    [Fact]
    public void BooleanConverter_WritesOneByteAndReadsItBack()
    {
        var converter = new BooleanConverter();

        Assert.Equal(new byte[] { 1 }, converter.FromConnectData(Topic, Schema.Boolean, true));
        Assert.Equal(new byte[] { 0 }, converter.FromConnectHeader(Topic, "h", null, false));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalBoolean, true), converter.ToConnectData(Topic, [1]));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalBoolean, false), converter.ToConnectData(Topic, [0]));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalBoolean, null), converter.ToConnectData(Topic, null));
    }

    [Fact]
    public void BooleanConverter_BadInput_ThrowsKafkasMessages()
    {
        var converter = new BooleanConverter();

        Assert.Equal("Invalid schema type for BooleanConverter: STRING",
            Assert.Throws<DataException>(() => converter.FromConnectData(Topic, Schema.String, true)).Message);
        Assert.Equal("Unexpected byte received by BooleanDeserializer: -1",
            Assert.Throws<DataException>(() => converter.ToConnectData(Topic, [0xFF])).InnerException!.Message);
        Assert.Equal("Size of data received by BooleanDeserializer is not 1",
            Assert.Throws<DataException>(() => converter.ToConnectData(Topic, [0, 1])).InnerException!.Message);
    }
}
