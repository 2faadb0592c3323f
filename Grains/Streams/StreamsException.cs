namespace Tributary.Grains.Streams;

/// <summary>A failure of stream processing (Kafka's <c>StreamsException</c>); it fails the task's thread.</summary>
public class StreamsException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A topology that cannot be built (Kafka's <c>TopologyException</c>).</summary>
public sealed class TopologyException(string message) : StreamsException("Invalid topology: " + message);

/// <summary>A store that cannot be used now: closed, or not yet opened (Kafka's <c>InvalidStateStoreException</c>).</summary>
public sealed class InvalidStateStoreException(string message) : StreamsException(message);
