using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// The input and output side of the word count tests, with Confluent.Kafka clients of their own: lines of a small
/// vocabulary in capitals, the counts the application must reach, the counts read back, and where a store's
/// changelog and checkpoints stand.
/// </summary>
internal sealed class WordCountRun(string bootstrapServers)
{
    private static readonly string[] Vocabulary = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda"];

    /// <summary>Produces lines <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1, adding their words to <paramref name="expected"/>.</summary>
    public async Task ProduceAsync(string topic, int first, int count, Dictionary<string, long> expected)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 5 }).Build();
        for (var i = first; i < first + count; i++)
        {
            var words = Enumerable.Range(0, 1 + (i % 4)).Select(j => Vocabulary[(i * 7 + j * 3) % Vocabulary.Length]).ToList();
            foreach (var word in words)
            {
                expected[word] = expected.GetValueOrDefault(word) + 1;
            }

            producer.Produce(topic, new Message<string, string> { Key = "line-" + i, Value = string.Join(' ', words).ToUpperInvariant() });
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Reads the count topic until each word's latest count is the expected one.</summary>
    public async Task AwaitCountsAsync(string topic, Dictionary<string, long> expected, IsolationLevel isolation = IsolationLevel.ReadUncommitted)
    {
        using var consumer = new ConsumerBuilder<string, long>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = isolation,
        }).Build();
        consumer.Subscribe(topic);
        var latest = new Dictionary<string, long>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        await Task.Run(() =>
        {
            while (!expected.All(e => latest.GetValueOrDefault(e.Key) == e.Value) && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    latest[result.Message.Key] = result.Message.Value;
                }
            }
        });
        consumer.Close();
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), latest.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    /// <summary>The checkpoint line of the last record in a partition of the application's counts-store changelog.</summary>
    public string LastChangelogRecord(string applicationId, int partition)
    {
        using var watermarks = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "watermarks" }).Build();
        var changelog = new TopicPartition($"{applicationId}-counts-store-changelog", partition);
        var end = watermarks.QueryWatermarkOffsets(changelog, TimeSpan.FromSeconds(10)).High.Value;
        return $"{changelog.Topic} {partition} {end - 1}";
    }

    /// <summary>The lines of counting task 1_<paramref name="partition"/>'s checkpoint in a state directory; none while there is none.</summary>
    public static string[] Checkpoint(string stateDir, string applicationId, int partition)
    {
        var path = Path.Combine(stateDir, applicationId, $"1_{partition}", ".checkpoint");
        try
        {
            return File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (IOException)
        {
            // Being replaced at this moment.
            return [];
        }
    }
}
