using System.Text.Json;

namespace Tributary.Grains.Streams.Serialization;

/// <summary>The built-in serdes, named as Kafka's <c>Serdes</c> factory names them.</summary>
public static class Serdes
{
    public static ISerde<string> String() => new StringSerde();

    public static ISerde<int> Int32() => new Int32Serde();

    public static ISerde<long> Int64() => new Int64Serde();

    public static ISerde<double> Double() => new DoubleSerde();

    public static ISerde<byte[]> ByteArray() => new ByteArraySerde();

    public static ISerde<T> Json<T>(JsonSerializerOptions? options = null) => new JsonSerde<T>(options);
}
