using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Converters.Primitives;

namespace Tributary.Tests.Connect.Converters.Primitives;

/// <summary>The number converters: big-endian bytes as Kafka's serializers write them, read back under optional schemas.</summary>
public sealed class NumberConverterTests
{
    private const string Topic = "topic";

    public static TheoryData<IConverter, Schema, object, byte[]> Samples() => new()
    {
        { new ShortConverter(), Schema.OptionalInt16, (short)-2, [0xFF, 0xFE] },
        { new ShortConverter(), Schema.OptionalInt16, short.MaxValue, [0x7F, 0xFF] },
        { new IntegerConverter(), Schema.OptionalInt32, 1, [0, 0, 0, 1] },
        { new IntegerConverter(), Schema.OptionalInt32, int.MinValue, [0x80, 0, 0, 0] },
        { new LongConverter(), Schema.OptionalInt64, 0x0102030405060708L, [1, 2, 3, 4, 5, 6, 7, 8] },
        { new LongConverter(), Schema.OptionalInt64, -1L, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
        { new FloatConverter(), Schema.OptionalFloat32, 1.0f, [0x3F, 0x80, 0, 0] },
        { new FloatConverter(), Schema.OptionalFloat32, float.NegativeInfinity, [0xFF, 0x80, 0, 0] },
        { new DoubleConverter(), Schema.OptionalFloat64, 1.0, [0x3F, 0xF0, 0, 0, 0, 0, 0, 0] },
        { new DoubleConverter(), Schema.OptionalFloat64, -0.0, [0x80, 0, 0, 0, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void FromConnectData_WritesBigEndianBytesAndReadsThemBack(IConverter converter, Schema schema, object value, byte[] expected)
    {
        converter.Configure(new Dictionary<string, string>(), isKey: false);

        var bytes = converter.FromConnectData(Topic, schema, value);

        Assert.Equal(expected, bytes);
        ConnectAssert.Equal(new SchemaAndValue(schema, value), converter.ToConnectData(Topic, bytes));
        Assert.Equal(expected, ((IHeaderConverter)converter).FromConnectHeader(Topic, "h", schema, value));
    }

    [Fact]
    public void DoubleConverter_WritesJavasCanonicalNaN()
    {
        var weirdNaN = BitConverter.Int64BitsToDouble(0x7FF0000000000001L);

        Assert.Equal(new byte[] { 0x7F, 0xF8, 0, 0, 0, 0, 0, 0 }, new DoubleConverter().FromConnectData(Topic, null, weirdNaN));
    }

    [Fact]
    public void ToConnectData_WrongLength_ThrowsDataExceptionNamingKafkasDeserializer()
    {
        var error = Assert.Throws<DataException>(() => new IntegerConverter().ToConnectData(Topic, new byte[10]));

        Assert.Equal("Failed to deserialize integer: ", error.Message);
        Assert.Equal("Size of data received by IntegerDeserializer is not 4", error.InnerException!.Message);
        Assert.Throws<DataException>(() => new LongConverter().ToConnectHeader(Topic, "h", new byte[3]));
    }

    [Fact]
    public void FromConnectData_ValueOfAnotherType_ThrowsDataException()
    {
        var error = Assert.Throws<DataException>(() => new ShortConverter().FromConnectData(Topic, Schema.Int16, "not a valid number"));

        Assert.StartsWith("Failed to serialize to short (was System.String)", error.Message);
        Assert.Throws<DataException>(() => new LongConverter().FromConnectData(Topic, Schema.Int64, 1));
    }

    [Fact]
    public void Nulls_StayNullUnderTheOptionalSchema()
    {
        Assert.Null(new FloatConverter().FromConnectData(Topic, Schema.Float32, null));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalFloat64, null), new DoubleConverter().ToConnectData(Topic, null));
    }
}
