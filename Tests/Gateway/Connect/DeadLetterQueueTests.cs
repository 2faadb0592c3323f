using System.Text;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// A sink's dead-letter queue as Kafka's users configure it: with <c>errors.tolerance=all</c> a record its converter
/// cannot read goes to the DLQ topic as it was consumed, with Kafka's <c>__connect.errors.*</c> context headers, while
/// the good records reach the sink and the task keeps running.
/// </summary>
public sealed class DeadLetterQueueTests(ConnectBrokerFixture broker) : IClassFixture<ConnectBrokerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-dlq-").FullName;

    [Fact]
    public async Task ARecordTheConverterCannotRead_GoesToTheDeadLetterTopic_WithContextHeaders()
    {
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("dlq-input", new Message<string, string> { Key = "k1", Value = "{\"n\":1}" });
            await producer.ProduceAsync("dlq-input", new Message<string, string>
            {
                Key = "k2",
                Value = "not json",
                Headers = new Headers { { "origin", Encoding.UTF8.GetBytes("test") } },
            });
            await producer.ProduceAsync("dlq-input", new Message<string, string> { Key = "k3", Value = "{\"n\":3}" });
        }

        var output = Path.Combine(_directory, "out.txt");
        using var connect = new ConnectClient(broker.ConnectUrl);
        var created = await connect.PutAsync("/connectors/dlq-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSink",
            ["file"] = output,
            ["topics"] = "dlq-input",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["value.converter.schemas.enable"] = "false",
            ["errors.tolerance"] = "all",
            ["errors.log.enable"] = "true",
            ["errors.deadletterqueue.topic.name"] = "dlq-errors",
            ["errors.deadletterqueue.topic.replication.factor"] = "1",
            ["errors.deadletterqueue.context.headers.enable"] = "true",
        });
        Assert.Equal(201, created.Status);

        await Wait.UntilAsync(() => File.Exists(output) && File.ReadAllLines(output).Length >= 2, TimeSpan.FromSeconds(30), "the good records reach the file");
        Assert.Equal(["{n=1}", "{n=3}"], File.ReadAllLines(output));
        await connect.WaitForStateAsync("dlq-sink", "RUNNING", 1, TimeSpan.FromSeconds(10));

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "dlq-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("dlq-errors");
        var dead = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.NotNull(dead);
        Assert.Equal("k2", dead.Message.Key);
        Assert.Equal("not json", dead.Message.Value);
        string Header(string name) => Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(name));
        Assert.Equal("test", Header("origin"));
        Assert.Equal("dlq-input", Header("__connect.errors.topic"));
        Assert.Equal("0", Header("__connect.errors.partition"));
        Assert.Equal("1", Header("__connect.errors.offset"));
        Assert.Equal("dlq-sink", Header("__connect.errors.connector.name"));
        Assert.Equal("0", Header("__connect.errors.task.id"));
        Assert.Equal("VALUE_CONVERTER", Header("__connect.errors.stage"));
        Assert.Equal("org.apache.kafka.connect.json.JsonConverter", Header("__connect.errors.class.name"));
        Assert.Contains("Exception", Header("__connect.errors.exception.class.name"));
        Assert.False(string.IsNullOrEmpty(Header("__connect.errors.exception.stacktrace")));

        Assert.Equal(204, (await connect.DeleteAsync("/connectors/dlq-sink")).Status);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
