using Confluent.Kafka;

namespace Tributary.Tests.Perf;

internal static class ProducerExtensions
{
    /// <summary>Produces, waiting for room while the client's queue is full, as a load tool must to keep sending.</summary>
    public static void ProduceWhenRoom(this IProducer<Null, byte[]> producer, string topic, byte[] value, Action<DeliveryReport<Null, byte[]>> delivered)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<Null, byte[]> { Value = value }, delivered);
                return;
            }
            catch (ProduceException<Null, byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(1));
            }
        }
    }
}

internal static class KeyedProducerExtensions
{
    /// <summary>Produces a keyed message, waiting for room while the client's queue is full.</summary>
    public static void ProduceWithRetry<TKey, TValue>(this IProducer<TKey, TValue> producer, string topic, Message<TKey, TValue> message)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message);
                return;
            }
            catch (ProduceException<TKey, TValue> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(1));
            }
        }
    }
}
