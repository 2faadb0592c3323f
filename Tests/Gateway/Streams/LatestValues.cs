using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>Reads a table's output topic into the latest value per key, as a user reading its changelog would.</summary>
internal static class LatestValues
{
    /// <summary>Reads into <paramref name="latest"/> until it holds every expected value, or a minute has passed.</summary>
    public static Task ReadUntilAsync(IConsumer<string, string> consumer, IReadOnlyDictionary<string, string> expected, Dictionary<string, string> latest) =>
        Task.Run(() =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!expected.All(e => latest.TryGetValue(e.Key, out var value) && value == e.Value) && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    latest[result.Message.Key] = result.Message.Value;
                }
            }
        });

    /// <summary>Reads a topic from its start with a consumer of its own until it holds every expected value, or a minute has passed.</summary>
    public static async Task<Dictionary<string, string>> ReadTopicAsync(string bootstrapServers, string topic, IReadOnlyDictionary<string, string> expected)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var latest = new Dictionary<string, string>();
        await ReadUntilAsync(consumer, expected, latest);
        consumer.Close();
        return latest;
    }

    public static List<KeyValuePair<string, string>> Sorted(IReadOnlyDictionary<string, string> entries) => [.. entries.OrderBy(e => e.Key, StringComparer.Ordinal)];
}
