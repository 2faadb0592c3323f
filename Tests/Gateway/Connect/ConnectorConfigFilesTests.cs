using System.Text;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>The platform started with connector config files (<c>--connector-config</c>), Kafka's standalone workflow.</summary>
public sealed class ConnectorConfigFilesTests(ConnectorConfigFilesTests.Fixture broker) : IClassFixture<ConnectorConfigFilesTests.Fixture>
{
    [Fact]
    public async Task ConnectorsInPropertiesAndJsonFiles_RunFromTheStart()
    {
        using var connect = new ConnectClient(broker.ConnectUrl);
        await connect.WaitForStateAsync("file-source", "RUNNING", 1, TimeSpan.FromSeconds(30));
        await connect.WaitForStateAsync("file-sink", "RUNNING", 1, TimeSpan.FromSeconds(30));

        await Wait.UntilAsync(() => File.Exists(broker.Output) && File.ReadAllLines(broker.Output).Length == 3, TimeSpan.FromSeconds(30), "the lines reach the sink's file");
        Assert.Equal(["alpha", "beta", "gamma"], File.ReadAllLines(broker.Output));

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "config-files-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("config-files");
        Assert.Equal("alpha", consumer.Consume(TimeSpan.FromSeconds(10))!.Message.Value);

        // A restart with the same files changes nothing: the stored connectors keep running from their offsets.
        await broker.StopAsync();
        await broker.StartAsync();
        using var again = new ConnectClient(broker.ConnectUrl);
        await again.WaitForStateAsync("file-source", "RUNNING", 1, TimeSpan.FromSeconds(30));
        await File.AppendAllLinesAsync(broker.Input, ["delta"]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.ReadAllLines(broker.Output).Length < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(File.ReadAllLines(broker.Output).Length >= 4,
            "the new line did not reach the sink's file; source: " + (await again.GetAsync("/connectors/file-source/status")).Body?.ToJsonString() +
            " sink: " + (await again.GetAsync("/connectors/file-sink/status")).Body?.ToJsonString() + " file: " + string.Join("|", File.ReadAllLines(broker.Output)));
        Assert.Equal(["alpha", "beta", "gamma", "delta"], File.ReadAllLines(broker.Output));
    }

    /// <summary>The platform with a <c>.properties</c> source and a JSON sink given on its command line.</summary>
    public sealed class Fixture : ConnectBrokerFixture
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("tributary-config-files-").FullName;

        public Fixture()
        {
            Input = Path.Combine(_directory, "in.txt");
            Output = Path.Combine(_directory, "out.txt");
            File.WriteAllLines(Input, ["alpha", "beta", "gamma"]);
            File.WriteAllText(Path.Combine(_directory, "source.properties"), new StringBuilder()
                .AppendLine("# Kafka's connect-file-source.properties, pointed at a test file")
                .AppendLine("name=file-source")
                .AppendLine("connector.class=FileStreamSource")
                .AppendLine("tasks.max=1")
                .AppendLine("file=" + Input.Replace("\\", "\\\\", StringComparison.Ordinal))
                .AppendLine("topic=config-files")
                .AppendLine("value.converter=org.apache.kafka.connect.storage.StringConverter")
                .ToString());
            File.WriteAllText(Path.Combine(_directory, "sink.json"), System.Text.Json.JsonSerializer.Serialize(new
            {
                name = "file-sink",
                config = new Dictionary<string, string>
                {
                    ["connector.class"] = "FileStreamSink",
                    ["file"] = Output,
                    ["topics"] = "config-files",
                    ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
                },
            }));
        }

        public string Input { get; }

        public string Output { get; }

        protected override IReadOnlyList<string> Settings =>
        [
            .. base.Settings,
            "--connector-config", Path.Combine(_directory, "source.properties"),
            "--connector-config", Path.Combine(_directory, "sink.json"),
        ];

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
