using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Support;

/// <summary>Reads record values from a subscribed or assigned consumer.</summary>
internal static class ConsumedValues
{
    /// <summary>The values of the next <paramref name="count"/> records, or those that came within <paramref name="timeout"/>.</summary>
    public static List<TValue> Take<TKey, TValue>(IConsumer<TKey, TValue> consumer, int count, TimeSpan timeout)
    {
        var values = new List<TValue>();
        var deadline = DateTime.UtcNow + timeout;
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false } result)
            {
                values.Add(result.Message.Value);
            }
        }

        return values;
    }
}
