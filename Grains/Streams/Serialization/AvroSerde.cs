using Avro.Generic;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace Tributary.Grains.Streams.Serialization;

/// <summary>
/// Avro in Confluent's wire format (magic byte, schema id, Avro binary) through a Schema Registry, as Confluent's
/// <c>SpecificAvroSerde</c> and <c>GenericAvroSerde</c> for Kafka Streams: Confluent's own serializer and deserializer
/// underneath, so subjects (<c>&lt;topic&gt;-key</c>/<c>-value</c> by default, a store's changelog topic included),
/// schema registration and compatibility are theirs. A serde is made for keys or for values, as Kafka's are configured.
/// </summary>
public sealed class AvroSerde<T> : Serde<T>
{
    private readonly ISerializer<T> _serializer;
    private readonly IDeserializer<T> _deserializer;
    private readonly MessageComponentType _component;

    public AvroSerde(
        ISchemaRegistryClient registry, bool isKey = false, AvroSerializerConfig? serializerConfig = null, AvroDeserializerConfig? deserializerConfig = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        // Stream threads are threads of their own: waiting on the registry client there blocks no one else.
        _serializer = new AvroSerializer<T>(registry, serializerConfig).AsSyncOverAsync();
        _deserializer = new AvroDeserializer<T>(registry, deserializerConfig).AsSyncOverAsync();
        _component = isKey ? MessageComponentType.Key : MessageComponentType.Value;
    }

    public override byte[] Serialize(string topic, T data, Headers? headers) =>
        _serializer.Serialize(data, new SerializationContext(_component, topic, headers));

    public override T Deserialize(string topic, byte[] data, Headers? headers) =>
        _deserializer.Deserialize(data, isNull: false, new SerializationContext(_component, topic, headers));
}

/// <summary>Avro serdes by the names of Confluent's Kafka Streams serdes.</summary>
public static class AvroSerdes
{
    /// <summary>Records of a class generated from an Avro schema (Confluent's <c>SpecificAvroSerde</c>).</summary>
    public static AvroSerde<T> Specific<T>(ISchemaRegistryClient registry, bool isKey = false, AvroSerializerConfig? serializerConfig = null)
        where T : ISpecificRecord => new(registry, isKey, serializerConfig);

    /// <summary>Records read and written by their schema alone (Confluent's <c>GenericAvroSerde</c>).</summary>
    public static AvroSerde<GenericRecord> Generic(ISchemaRegistryClient registry, bool isKey = false, AvroSerializerConfig? serializerConfig = null) =>
        new(registry, isKey, serializerConfig);
}
