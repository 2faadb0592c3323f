using System.Text;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// Kafka's Connect quickstart on the embedded platform, driven by curl's requests: a FileStreamSource copies a file's
/// lines to a topic (JSON with schemas, the worker's default converters), a FileStreamSink copies the topic to another
/// file, and Confluent.Kafka reads what the source wrote.
/// </summary>
public sealed class FileStreamQuickstartTests(ConnectBrokerFixture broker) : IClassFixture<ConnectBrokerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-connect-").FullName;

    [Fact]
    public async Task FileLines_GoThroughATopic_IntoAnotherFile_AsKafkasQuickstartShows()
    {
        var input = Path.Combine(_directory, "test.txt");
        var output = Path.Combine(_directory, "test.sink.txt");
        var lines = Enumerable.Range(0, 50).Select(i => $"line {i} ünïcødé").ToList();
        await File.WriteAllLinesAsync(input, lines);
        using var connect = new ConnectClient(broker.ConnectUrl);

        var created = await connect.PostAsync("/connectors", new
        {
            name = "local-file-source",
            config = new Dictionary<string, string>
            {
                ["connector.class"] = "FileStreamSource",
                ["tasks.max"] = "1",
                ["file"] = input,
                ["topic"] = "connect-test",
            },
        });
        Assert.Equal(201, created.Status);
        Assert.Equal("source", created.Body!["type"]!.GetValue<string>());
        await connect.WaitForStateAsync("local-file-source", "RUNNING", 1, TimeSpan.FromSeconds(30));

        var values = Consume("connect-test", lines.Count);
        Assert.Equal(lines.Select(l => "{\"schema\":{\"type\":\"string\",\"optional\":false},\"payload\":\"" + l + "\"}"), values);

        var sink = await connect.PutAsync("/connectors/local-file-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "org.apache.kafka.connect.file.FileStreamSinkConnector",
            ["tasks.max"] = "1",
            ["file"] = output,
            ["topics"] = "connect-test",
        });
        Assert.Equal(201, sink.Status);
        await Wait.UntilAsync(() => File.Exists(output) && File.ReadAllLines(output).Length >= lines.Count, TimeSpan.FromSeconds(30), "the sink's file has every line");
        Assert.Equal(lines, File.ReadAllLines(output));

        // Appended lines flow on through both connectors.
        await File.AppendAllLinesAsync(input, ["one more line"]);
        await Wait.UntilAsync(() => File.ReadAllLines(output).LastOrDefault() == "one more line", TimeSpan.FromSeconds(30), "the appended line reaches the sink's file");

        var list = await connect.GetAsync("/connectors");
        Assert.Equal(["local-file-sink", "local-file-source"], list.Body!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Equal(204, (await connect.DeleteAsync("/connectors/local-file-source")).Status);
        Assert.Equal(204, (await connect.DeleteAsync("/connectors/local-file-sink")).Status);
        Assert.Equal(404, (await connect.GetAsync("/connectors/local-file-source")).Status);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private List<string> Consume(string topic, int count)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "quickstart-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
                {
                    values.Add(Encoding.UTF8.GetString(result.Message.Value));
                }
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                // The source's first write creates the topic; until then librdkafka reports the subscription as an error.
            }
        }

        return values;
    }
}
