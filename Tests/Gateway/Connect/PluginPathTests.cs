using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>A connector built apart from the platform, installed in <c>plugin.path</c>: listed, validated and run.</summary>
public sealed class PluginPathTests(PluginPathTests.Fixture broker) : IClassFixture<PluginPathTests.Fixture>
{
    [Fact]
    public async Task AConnectorFromPluginPath_IsListedAndRuns()
    {
        using var connect = new ConnectClient(broker.ConnectUrl);
        var plugins = (await connect.GetAsync("/connector-plugins")).Body!.AsArray();
        var counting = plugins.Single(p => p!["class"]!.GetValue<string>() == "com.example.connect.CountingSourceConnector");
        Assert.Equal("source", counting!["type"]!.GetValue<string>());
        Assert.Equal("1.2.3", counting["version"]!.GetValue<string>());

        Assert.Equal(201, (await connect.PutAsync("/connectors/counting/config", new Dictionary<string, string>
        {
            ["connector.class"] = "CountingSource",
            ["topic"] = "counted",
            ["value.converter"] = "org.apache.kafka.connect.converters.LongConverter",
        })).Status);
        await connect.WaitForStateAsync("counting", "RUNNING", 1, TimeSpan.FromSeconds(30));

        using var consumer = new ConsumerBuilder<Ignore, long>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "counted-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetValueDeserializer(Deserializers.Int64).Build();
        consumer.Subscribe("counted");
        var values = new List<long>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (values.Count < 5 && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    values.Add(result.Message.Value);
                }
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                // The task's first write creates the topic.
            }
        }

        Assert.Equal([0L, 1, 2, 3, 4], values);
        Assert.Equal(204, (await connect.DeleteAsync("/connectors/counting")).Status);
    }

    /// <summary>The platform with the sample plug-in (Tests/Connect/SamplePlugin) in a plugin.path directory of its own.</summary>
    public sealed class Fixture : ConnectBrokerFixture
    {
        private readonly string _pluginPath = Directory.CreateTempSubdirectory("tributary-plugin-path-").FullName;

        public Fixture()
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var built = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Connect", "SamplePlugin", "bin", configuration, "net10.0"));
            var folder = Directory.CreateDirectory(Path.Combine(_pluginPath, "counting"));
            foreach (var file in Directory.EnumerateFiles(built, "Tributary.Tests.Connect.SamplePlugin.*"))
            {
                File.Copy(file, Path.Combine(folder.FullName, Path.GetFileName(file)));
            }
        }

        protected override IReadOnlyList<string> Settings => [.. base.Settings, "--Tributary:Connect:PluginPath:0", _pluginPath];

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(_pluginPath, recursive: true);
        }
    }
}
