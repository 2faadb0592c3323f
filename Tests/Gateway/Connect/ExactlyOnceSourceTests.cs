using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// Exactly-once sources (KIP-618) on the embedded platform: records and offsets in one transaction per poll, so a
/// read_committed consumer sees every line once across restarts of the task, and the offsets live in
/// <c>connect-offsets</c> in Kafka's format; <c>exactly.once.support=required</c> is refused for a connector that cannot give it.
/// </summary>
public sealed class ExactlyOnceSourceTests(ExactlyOnceSourceTests.Fixture broker) : IClassFixture<ExactlyOnceSourceTests.Fixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-eos-").FullName;

    [Fact]
    public async Task RestartedTasks_ReadCommittedConsumersSeeEveryLineOnce_AndOffsetsAreInConnectOffsets()
    {
        var input = Path.Combine(_directory, "in.txt");
        var lines = Enumerable.Range(0, 600).Select(i => $"line {i}").ToList();
        await File.WriteAllLinesAsync(input, lines.Take(200));
        using var connect = new ConnectClient(broker.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/eos-file/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = input,
            ["topic"] = "eos-file-lines",
            ["batch.size"] = "20",
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["exactly.once.support"] = "required",
        })).Status);

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "eos-file-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        consumer.Subscribe("eos-file-lines");
        var read = new List<string>();
        Consume(consumer, read, 100);

        // Restarts while lines are being written: each new task instance fences the last and goes on from committed offsets.
        await File.AppendAllLinesAsync(input, lines.Skip(200).Take(200));
        Assert.Equal(202, (await connect.PostAsync("/connectors/eos-file/restart?includeTasks=true")).Status);
        await File.AppendAllLinesAsync(input, lines.Skip(400));
        Assert.Equal(204, (await connect.PostAsync("/connectors/eos-file/tasks/0/restart")).Status);
        Consume(consumer, read, lines.Count);

        // A little longer: a duplicate would show up now, if any was committed.
        Consume(consumer, read, lines.Count + 1, TimeSpan.FromSeconds(3));
        Assert.Equal(lines, read);

        using var offsets = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "offsets-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        offsets.Subscribe("connect-offsets");
        var last = (string?)null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && last is null)
        {
            if (offsets.Consume(TimeSpan.FromMilliseconds(200)) is { } result && result.Message.Key.StartsWith("[\"eos-file\",", StringComparison.Ordinal))
            {
                last = result.Message.Key;
            }
        }

        Assert.Equal("[\"eos-file\",{\"filename\":" + System.Text.Json.JsonSerializer.Serialize(input) + "}]", last);
    }

    [Fact]
    public async Task IntervalBoundary_KeepsEvenTheFirstTransactionOpenForItsInterval()
    {
        var input = Path.Combine(_directory, "interval.txt");
        await File.WriteAllLinesAsync(input, ["a", "b", "c"]);
        using var connect = new ConnectClient(broker.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/eos-interval/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = input,
            ["topic"] = "eos-interval-lines",
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["transaction.boundary"] = "interval",
            ["transaction.boundary.interval.ms"] = "60000",
        })).Status);

        // The worker commits offsets every half second here; the connector's own interval is a minute, and holds.
        var uncommitted = new List<string>();
        var committed = new List<string>();
        using (var dirty = Reader(IsolationLevel.ReadUncommitted))
        using (var clean = Reader(IsolationLevel.ReadCommitted))
        {
            Consume(dirty, uncommitted, 3, TimeSpan.FromSeconds(20));
            Consume(clean, committed, 1, TimeSpan.FromSeconds(3));
        }

        Assert.Equal(["a", "b", "c"], uncommitted);
        Assert.Empty(committed);
        Assert.Equal(204, (await connect.DeleteAsync("/connectors/eos-interval")).Status);
    }

    private IConsumer<Ignore, string> Reader(IsolationLevel isolation)
    {
        var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "eos-interval-" + isolation,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = isolation,
        }).Build();
        consumer.Subscribe("eos-interval-lines");
        return consumer;
    }

    [Fact]
    public async Task ExactlyOnceRequired_IsRefused_ForAConnectorThatCannotGiveIt()
    {
        using var connect = new ConnectClient(broker.ConnectUrl);
        var refused = await connect.PutAsync("/connectors/eos-mirror/config", new Dictionary<string, string>
        {
            ["connector.class"] = "org.apache.kafka.connect.mirror.MirrorSourceConnector",
            ["source.cluster.alias"] = "old",
            ["source.cluster.bootstrap.servers"] = "localhost:1",
            ["target.cluster.bootstrap.servers"] = broker.BootstrapServers,
            ["exactly.once.support"] = "required",
        });

        Assert.Equal(400, refused.Status);
        Assert.Contains("exactly-once", refused.Body!["message"]!.GetValue<string>());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void Consume(IConsumer<Ignore, string> consumer, List<string> read, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (read.Count < count && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    read.Add(result.Message.Value);
                }
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                // The task's first write creates the topic.
            }
        }
    }

    /// <summary>The embedded platform with exactly-once sources enabled.</summary>
    public sealed class Fixture : ConnectBrokerFixture
    {
        protected override IReadOnlyList<string> Settings => [.. base.Settings, "--Tributary:Connect:ExactlyOnceSourceSupport", "enabled"];
    }
}
