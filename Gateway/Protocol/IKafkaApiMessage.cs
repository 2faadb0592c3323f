using Tributary.Grains.KafkaFormats;

namespace Tributary.Gateway.Protocol;

/// <summary>
/// A message of the Kafka API (a request, a response or one of their headers) that knows, before writing, how many
/// bytes it writes at a version, as Kafka's generated messages do (<c>Message.size</c>): a frame's length prefix goes
/// first on the wire, so the framer needs the size before it writes a byte.
/// </summary>
public interface IKafkaApiMessage : IKafkaMessage
{
    /// <summary>The bytes <see cref="IKafkaMessage.Write"/> writes at <paramref name="version"/>.</summary>
    int Size(short version);
}
