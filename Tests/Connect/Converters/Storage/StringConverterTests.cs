using System.Text;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Storage;

namespace Tributary.Tests.Connect.Converters.Storage;

/// <summary>The string converter: Java's toString of any value in the configured charset, read back as optional strings.</summary>
public sealed class StringConverterTests
{
    private const string Topic = "topic";
    private const string Sample = "a string";
    private readonly StringConverter _converter = new();

    private static StringConverter Configured(bool isKey, params (string Key, string Value)[] configs)
    {
        var converter = new StringConverter();
        converter.Configure(configs.ToDictionary(c => c.Key, c => c.Value), isKey);
        return converter;
    }

    [Fact]
    public void FromConnectData_String_WritesUtf8()
    {
        Assert.Equal(Encoding.UTF8.GetBytes(Sample), _converter.FromConnectData(Topic, Schema.String, Sample));
        Assert.Equal("é😀"u8.ToArray(), _converter.FromConnectData(Topic, Schema.String, "é😀"));
    }

    [Fact]
    public void FromConnectData_NonString_WritesJavasToStringIgnoringTheSchema()
    {
        Assert.Equal("true"u8.ToArray(), _converter.FromConnectData(Topic, Schema.Boolean, true));
        Assert.Equal("true"u8.ToArray(), _converter.FromConnectData(Topic, null, true));
        Assert.Equal("1.0E10"u8.ToArray(), _converter.FromConnectData(Topic, null, 1e10));
        Assert.Equal("[1, a, null]"u8.ToArray(), _converter.FromConnectData(Topic, null, new List<object?> { 1, "a", null }));
        Assert.Equal("{k=2.5}"u8.ToArray(), _converter.FromConnectData(Topic, null, new Dictionary<object, object?> { ["k"] = 2.5f }));
        Assert.Equal("1.5600"u8.ToArray(), _converter.FromConnectData(Topic, null, 1.5600m));
        Assert.Equal("Thu Jan 01 00:00:00 UTC 1970"u8.ToArray(), _converter.FromConnectData(Topic, null, DateTime.UnixEpoch));
    }

    [Fact]
    public void FromConnectData_Struct_WritesKafkasStructToStringOfSetFields()
    {
        var schema = SchemaBuilder.Struct().Field("a", Schema.Int32).Field("b", Schema.OptionalString).Field("c", Schema.Float64).Build();

        Assert.Equal("Struct{a=1,c=2.0}"u8.ToArray(), _converter.FromConnectData(Topic, schema, new Struct(schema).Put("a", 1).Put("c", 2.0)));
    }

    [Fact]
    public void FromConnectData_Null_IsNull()
    {
        Assert.Null(_converter.FromConnectData(Topic, Schema.OptionalString, null));
        Assert.Null(_converter.FromConnectHeader(Topic, "hdr", Schema.OptionalString, null));
    }

    [Fact]
    public void ToConnectData_ReadsAnOptionalString()
    {
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalString, Sample), _converter.ToConnectData(Topic, Encoding.UTF8.GetBytes(Sample)));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalString, null), _converter.ToConnectData(Topic, null));
    }

    [Fact]
    public void Utf16Encoding_WritesJavasBigEndianWithByteOrderMarkAndReadsItBack()
    {
        var converter = Configured(true, ("converter.encoding", "UTF-16"));

        var bytes = converter.FromConnectData(Topic, Schema.String, "ab");

        Assert.Equal(new byte[] { 0xFE, 0xFF, 0, (byte)'a', 0, (byte)'b' }, bytes);
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalString, "ab"), converter.ToConnectData(Topic, bytes));
    }

    [Fact]
    public void SerializerEncodingForTheConvertersRole_OverridesConverterEncoding()
    {
        var key = Configured(true, ("converter.encoding", "UTF-16"), ("key.serializer.encoding", "ISO-8859-1"));
        var value = Configured(false, ("converter.encoding", "UTF-16"), ("key.serializer.encoding", "ISO-8859-1"));

        Assert.Equal(new byte[] { 0xE9 }, key.FromConnectData(Topic, Schema.String, "é"));
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0, 0xE9 }, value.FromConnectData(Topic, Schema.String, "é"));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalString, "ab"), key.ToConnectData(Topic, new byte[] { 0, (byte)'a', 0, (byte)'b' }));
    }

    [Fact]
    public void Configure_UnknownCharset_ThrowsDataException()
    {
        Assert.Throws<DataException>(() => Configured(false, ("converter.encoding", "no-such-charset")));
    }

    [Fact]
    public void HeaderMethods_DelegateToTheValueForms()
    {
        Assert.Equal("true"u8.ToArray(), _converter.FromConnectHeader(Topic, "hdr", Schema.Boolean, true));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalString, "x"), _converter.ToConnectHeader(Topic, "hdr", "x"u8.ToArray()));
    }

    [Fact]
    public void Config_DefinesConverterEncodingDefaultingToUtf8()
    {
        Assert.Equal("UTF-8", _converter.Config.ConfigKeys["converter.encoding"].DefaultValue);
        Assert.Equal("3.9.0", _converter.Version);
    }
}
