using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>Client overrides (KIP-458) through the REST API: those the tasks honour take effect, others are refused.</summary>
public sealed class ClientOverridesTests(ConnectBrokerFixture broker) : IClassFixture<ConnectBrokerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-overrides-").FullName;

    [Fact]
    public async Task ASinkWithAutoOffsetResetLatest_WritesOnlyRecordsProducedAfterItStarted()
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await producer.ProduceAsync("overrides-latest", new Message<Null, string> { Value = "old" });
        var output = Path.Combine(_directory, "out.txt");
        using var connect = new ConnectClient(broker.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/latest-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSink",
            ["file"] = output,
            ["topics"] = "overrides-latest",
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["consumer.override.auto.offset.reset"] = "latest",
            ["consumer.override.max.poll.records"] = "1",
        })).Status);
        await connect.WaitForStateAsync("latest-sink", "RUNNING", 1, TimeSpan.FromSeconds(30));

        await producer.ProduceAsync("overrides-latest", new Message<Null, string> { Value = "new 1" });
        await producer.ProduceAsync("overrides-latest", new Message<Null, string> { Value = "new 2" });
        await Wait.UntilAsync(() => File.Exists(output) && File.ReadAllLines(output).Length >= 2, TimeSpan.FromSeconds(30), "the new records reach the file");
        Assert.Equal(["new 1", "new 2"], File.ReadAllLines(output));
        Assert.Equal(204, (await connect.DeleteAsync("/connectors/latest-sink")).Status);
    }

    [Fact]
    public async Task AnOverrideTheTasksWouldNotHonour_IsRefused()
    {
        using var connect = new ConnectClient(broker.ConnectUrl);
        var refused = await connect.PutAsync("/connectors/linger-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSink",
            ["topics"] = "anything",
            ["producer.override.linger.ms"] = "5",
        });

        Assert.Equal(400, refused.Status);
        Assert.Contains("producer.override.linger.ms", refused.Body!["message"]!.GetValue<string>());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
