using System.Text.Json.Nodes;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// The worker's plug-ins over Connect's REST API: listing them (connectors only, or everything), a plug-in's config
/// keys, and validating a connector config without creating anything.
/// </summary>
public sealed class PluginsApiTests(ConnectBrokerFixture broker) : ConnectApiTests(broker), IClassFixture<ConnectBrokerFixture>
{
    [Fact]
    public async Task TheConnectorPlugins_ListTheFileStreamConnectors_WithTheirTypeAndVersion_AndNothingElse()
    {
        var (status, body) = await Connect.GetAsync("/connector-plugins");

        Assert.Equal(200, status);
        var plugins = body!.AsArray().Select(p => p!.ToJsonString()).ToList();
        Assert.Contains($$"""{"class":"{{FileStreamSink}}","type":"sink","version":"3.9.0"}""", plugins);
        Assert.Contains($$"""{"class":"{{FileStreamSource}}","type":"source","version":"3.9.0"}""", plugins);
        Assert.All(body.AsArray(), p => Assert.Contains(Text(p!["type"]), new[] { "source", "sink" }));
    }

    [Fact]
    public async Task AllPlugins_IncludeConvertersTransformationsAndPredicates()
    {
        var (status, body) = await Connect.GetAsync("/connector-plugins?connectorsOnly=false");

        Assert.Equal(200, status);
        var types = body!.AsArray().ToLookup(p => Text(p!["class"]), p => Text(p!["type"]));
        Assert.Contains("sink", types[FileStreamSink]);
        Assert.Contains("converter", types[JsonConverter]);
        Assert.Contains("converter", types[StringConverter]);
        Assert.Contains("header_converter", types["org.apache.kafka.connect.storage.SimpleHeaderConverter"]);
        Assert.Contains("transformation", types["org.apache.kafka.connect.transforms.HoistField$Value"]);
        Assert.Contains("transformation", types["org.apache.kafka.connect.transforms.RegexRouter"]);
        Assert.Contains("predicate", types["org.apache.kafka.connect.transforms.predicates.TopicNameMatches"]);
        Assert.All(body.AsArray(), p => Assert.False(string.IsNullOrEmpty(Text(p!["version"]))));
    }

    [Fact]
    public async Task APluginsConfig_DescribesEachOfItsKeys()
    {
        var bySimpleName = await Connect.GetAsync("/connector-plugins/FileStreamSourceConnector/config");
        var byAlias = await Connect.GetAsync("/connector-plugins/FileStreamSource/config");
        var byClass = await Connect.GetAsync($"/connector-plugins/{FileStreamSource}/config");

        Assert.Equal((200, 200, 200), (bySimpleName.Status, byAlias.Status, byClass.Status));
        Assert.Equal(bySimpleName.Body!.ToJsonString(), byAlias.Body!.ToJsonString());
        Assert.Equal(bySimpleName.Body.ToJsonString(), byClass.Body!.ToJsonString());
        var keys = bySimpleName.Body.AsArray().ToDictionary(k => Text(k!["name"]));
        Assert.Equal(["batch.size", "file", "topic"], keys.Keys.Order());
        var topic = keys["topic"]!;
        Assert.Equal("STRING", Text(topic["type"]));
        Assert.True(topic["required"]!.GetValue<bool>());
        Assert.Null(topic["default_value"]);
        Assert.Equal("HIGH", Text(topic["importance"]));
        Assert.Equal("The topic to publish data to", Text(topic["documentation"]));
        Assert.Equal(
            ["default_value", "dependents", "display_name", "documentation", "group", "importance", "name", "order_in_group", "required", "type", "width"],
            topic.AsObject().Select(p => p.Key).Order());
        Assert.Equal("2000", Text(keys["batch.size"]!["default_value"]));
        Assert.False(keys["batch.size"]!["required"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TheConfigOfAPluginThatDoesNotExist_IsNotFound() =>
        Assert.Equal("Unknown plugin NoSuchConnector.", AssertError(await Connect.GetAsync("/connector-plugins/NoSuchConnector/config"), 404));

    [Fact]
    public async Task AValidConfig_ValidatesWithoutErrors_AndCreatesNothing()
    {
        var name = Unique("validated");
        var config = SinkConfig(FileIn("out.txt"), "a-topic");
        config["name"] = name;

        var (status, body) = await Connect.PutAsync("/connector-plugins/FileStreamSinkConnector/config/validate", config);

        Assert.Equal(200, status);
        Assert.Equal(FileStreamSink, Text(body!["name"]));
        Assert.Equal(0, body["error_count"]!.GetValue<int>());
        Assert.Contains("Common", body["groups"]!.AsArray().Select(Text));
        var file = Config(body, "file");
        Assert.Equal(FileIn("out.txt"), Text(file["value"]!["value"]));
        Assert.Equal("[]", file["value"]!["errors"]!.ToJsonString());
        Assert.Equal("file", Text(file["definition"]!["name"]));
        Assert.Equal(404, (await Connect.GetAsync($"/connectors/{name}")).Status);
    }

    [Fact]
    public async Task AnInvalidConfig_ValidatesWithItsErrors_OnTheKeysAtFault()
    {
        var config = SinkConfig(FileIn("out.txt"), "a-topic", ("name", Unique("invalid")), ("topics.regex", "b.*"), ("tasks.max", "none"));

        var (status, body) = await Connect.PutAsync("/connector-plugins/FileStreamSink/config/validate", config);

        Assert.Equal(200, status);
        Assert.Equal(
            ["tasks.max", "topics", "topics.regex"],
            body!["configs"]!.AsArray().Where(c => c!["value"]!["errors"]!.AsArray().Count > 0).Select(c => Text(c!["value"]!["name"])).Order());
        Assert.Equal(3, body["error_count"]!.GetValue<int>());
        const string both = "topics and topics.regex are mutually exclusive options, but both are set.";
        Assert.Equal([both], Config(body, "topics")["value"]!["errors"]!.AsArray().Select(Text));
        Assert.Equal([both], Config(body, "topics.regex")["value"]!["errors"]!.AsArray().Select(Text));
        Assert.Contains("tasks.max", Text(Config(body, "tasks.max")["value"]!["errors"]![0]), StringComparison.Ordinal);
        Assert.Equal("[]", Config(body, "file")["value"]!["errors"]!.ToJsonString());
    }

    [Fact]
    public async Task AConfigWithoutAName_IsMissingARequiredConfiguration()
    {
        var (status, body) = await Connect.PutAsync("/connector-plugins/FileStreamSink/config/validate", SinkConfig(FileIn("out.txt"), "a-topic"));

        Assert.Equal(200, status);
        Assert.Equal(1, body!["error_count"]!.GetValue<int>());
        Assert.Equal(["Missing required configuration \"name\" which has no default value."], Config(body, "name")["value"]!["errors"]!.AsArray().Select(Text));
    }

    [Fact]
    public async Task AConfigForAnotherPlugin_OrWithoutAConnectorClass_IsRefused()
    {
        var config = SourceConfig(FileIn("in.txt"), "a-topic");

        var mismatch = await Connect.PutAsync("/connector-plugins/FileStreamSinkConnector/config/validate", config);
        config.Remove("connector.class");
        var classless = await Connect.PutAsync("/connector-plugins/FileStreamSourceConnector/config/validate", config);

        Assert.Equal($"Included connector type {FileStreamSource} does not match request type FileStreamSinkConnector", AssertError(mismatch, 400));
        Assert.EndsWith("contains no connector type", AssertError(classless, 400), StringComparison.Ordinal);
    }

    private static JsonNode Config(JsonNode validation, string key) =>
        validation["configs"]!.AsArray().Single(c => Text(c!["value"]!["name"]) == key)!;
}
