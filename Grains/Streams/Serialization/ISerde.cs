using Confluent.Kafka;

namespace Tributary.Grains.Streams.Serialization;

/// <summary>
/// A serializer and deserializer pair for one type, as Kafka's <c>Serde</c>. The topology works on untyped objects
/// between its nodes (as Java's erasure does), so every serde also answers in <see cref="object"/>s; a null byte
/// array is a null object in both directions and never reaches the typed methods.
/// </summary>
public interface ISerde
{
    /// <summary>The type this serde reads and writes.</summary>
    Type Type { get; }

    byte[]? SerializeObject(string topic, object? data, Headers? headers);

    object? DeserializeObject(string topic, byte[]? data, Headers? headers);
}

/// <summary>A typed serde; implement it through <see cref="Serde{T}"/>.</summary>
public interface ISerde<T> : ISerde
{
    byte[] Serialize(string topic, T data, Headers? headers);

    T Deserialize(string topic, byte[] data, Headers? headers);
}

/// <summary>The base of every serde: the typed methods see non-null data only.</summary>
public abstract class Serde<T> : ISerde<T>
{
    public Type Type => typeof(T);

    public abstract byte[] Serialize(string topic, T data, Headers? headers);

    public abstract T Deserialize(string topic, byte[] data, Headers? headers);

    public byte[]? SerializeObject(string topic, object? data, Headers? headers) =>
        data is null ? null : Serialize(topic, (T)data, headers);

    public object? DeserializeObject(string topic, byte[]? data, Headers? headers) =>
        data is null ? null : Deserialize(topic, data, headers);
}
