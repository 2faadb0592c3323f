using System.Text.Json;
using Confluent.Kafka;

namespace Tributary.Grains.Streams.Serialization;

/// <summary>A value as UTF-8 JSON through System.Text.Json, with the given options (web defaults when none).</summary>
public sealed class JsonSerde<T>(JsonSerializerOptions? options = null) : Serde<T>
{
    private readonly JsonSerializerOptions _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    public override byte[] Serialize(string topic, T data, Headers? headers) => JsonSerializer.SerializeToUtf8Bytes(data, _options);

    public override T Deserialize(string topic, byte[] data, Headers? headers)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(data, _options)!;
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Bytes on {topic} are not JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }
}
