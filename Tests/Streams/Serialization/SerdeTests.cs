using Tributary.Grains.Streams.Serialization;

namespace Tributary.Tests.Streams.Serialization;

public sealed class SerdeTests
{
    [Fact]
    public void Integers_AreBigEndian_AsKafkasSerdesWriteThem()
    {
        Assert.Equal([0x00, 0x00, 0x01, 0x02], Serdes.Int32().Serialize("t", 258, null));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0x01, 0x02], Serdes.Int64().Serialize("t", 258, null));
        Assert.Equal(-2L, Serdes.Int64().Deserialize("t", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE], null));
        Assert.Equal(1.5, Serdes.Double().Deserialize("t", Serdes.Double().Serialize("t", 1.5, null), null));
    }

    [Fact]
    public void WrongSizes_AndBadJson_AreSerializationErrors()
    {
        Assert.Throws<SerializationException>(() => Serdes.Int32().Deserialize("t", [1, 2, 3], null));
        Assert.Throws<SerializationException>(() => Serdes.Json<Point>().Deserialize("t", "{not json"u8.ToArray(), null));
    }

    [Fact]
    public void NullBytes_AreNullObjects_WithoutReachingTheTypedSerde()
    {
        ISerde serde = Serdes.Int64();

        Assert.Null(serde.DeserializeObject("t", null, null));
        Assert.Null(serde.SerializeObject("t", null, null));
    }

    [Fact]
    public void Json_RoundTripsARecord()
    {
        var serde = Serdes.Json<Point>();

        Assert.Equal(new Point(3, 4), serde.Deserialize("t", serde.Serialize("t", new Point(3, 4), null), null));
        Assert.Equal("""{"x":3,"y":4}""", System.Text.Encoding.UTF8.GetString(serde.Serialize("t", new Point(3, 4), null)));
    }

    private sealed record Point(int X, int Y);
}
