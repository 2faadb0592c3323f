using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Support;

/// <summary>Records produced with a value serializer and read back with a deserializer, as the serdes tests need.</summary>
public static class SerdesTopics
{
    /// <summary>Produces the values in order, keyed k0, k1, ..., each acknowledged by all replicas.</summary>
    public static async Task ProduceAsync<T>(string bootstrapServers, string topic, IEnumerable<T> values, IAsyncSerializer<T> serializer)
    {
        using var producer = new ProducerBuilder<string, T>(new ProducerConfig { BootstrapServers = bootstrapServers, Acks = Acks.All })
            .SetValueSerializer(serializer)
            .Build();
        var i = 0;
        foreach (var value in values)
        {
            await producer.ProduceAsync(topic, new Message<string, T> { Key = $"k{i++}", Value = value });
        }
    }

    /// <summary>Reads the topic from its start with a group of its own until <paramref name="expected"/> values came, or a minute passed.</summary>
    public static List<TValue> Consume<TValue>(string bootstrapServers, string topic, int expected, IDeserializer<TValue> deserializer)
    {
        using var consumer = new ConsumerBuilder<string, TValue>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "serdes-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetValueDeserializer(deserializer).Build();
        consumer.Subscribe(topic);
        var values = new List<TValue>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (values.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                values.Add(result.Message.Value);
            }
        }

        return values;
    }
}
