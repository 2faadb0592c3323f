using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Grains.KafkaFormats;

/// <summary>A Kafka message (request, response, header or embedded payload) that reads and writes every version it has.</summary>
public interface IKafkaMessage
{
    void Read(ref KafkaReader reader, short version);

    void Write(ref KafkaWriter writer, short version);
}
