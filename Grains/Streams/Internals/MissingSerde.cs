using Confluent.Kafka;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Internals;

/// <summary>Stands for a default serde the application did not set: using it fails with Kafka's advice.</summary>
internal sealed class MissingSerde(string role) : ISerde
{
    public Type Type => typeof(object);

    public byte[]? SerializeObject(string topic, object? data, Headers? headers) => data is null ? null : throw Missing();

    public object? DeserializeObject(string topic, byte[]? data, Headers? headers) => data is null ? null : throw Missing();

    private StreamsException Missing() => new(
        $"Please specify a {role} serde or set one through StreamsConfig.Default{char.ToUpperInvariant(role[0])}{role[1..]}Serde "
        + $"(default.{role}.serde)");
}
