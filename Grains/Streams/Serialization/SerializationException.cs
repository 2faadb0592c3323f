namespace Tributary.Grains.Streams.Serialization;

/// <summary>Bytes a serde cannot read, or a value it cannot write (Kafka's SerializationException).</summary>
public sealed class SerializationException(string message, Exception? inner = null) : Exception(message, inner);
