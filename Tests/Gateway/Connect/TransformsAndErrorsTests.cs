using System.Text.Json.Nodes;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// Single message transforms and error tolerance configured through Connect's REST API: what reaches the topic, byte
/// for byte, through a chain of transforms; a record a converter cannot read skipped with <c>errors.tolerance=all</c>
/// and failing the task without it.
/// </summary>
public sealed class TransformsAndErrorsTests(ConnectBrokerFixture broker) : ConnectApiTests(broker), IClassFixture<ConnectBrokerFixture>
{
    [Fact]
    public async Task ATransformChain_HoistsEachLine_AddsAStaticField_AndRenamesTheTopic()
    {
        var name = Unique("transformed");
        var input = FileIn("in.txt");
        var prefix = Unique("lines");
        await File.WriteAllLinesAsync(input, ["hello", "wörld \"quoted\""]);

        await CreateRunningAsync(name, SourceConfig(input, prefix + "-raw",
            ("value.converter", JsonConverter),
            ("value.converter.schemas.enable", "false"),
            ("transforms", "hoist,origin,route"),
            ("transforms.hoist.type", "org.apache.kafka.connect.transforms.HoistField$Value"),
            ("transforms.hoist.field", "line"),
            ("transforms.origin.type", "org.apache.kafka.connect.transforms.InsertField$Value"),
            ("transforms.origin.static.field", "origin"),
            ("transforms.origin.static.value", "file"),
            ("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"),
            ("transforms.route.regex", "(.*)-raw"),
            ("transforms.route.replacement", "$1-json")));

        Assert.Equal(
            ["""{"line":"hello","origin":"file"}""", """{"line":"wörld \"quoted\"","origin":"file"}"""],
            await ReadAsync(prefix + "-json", 2));
        Assert.Empty(ReadAll(prefix + "-raw"));
        await Wait.UntilAsync(
            async () => (await Connect.GetAsync($"/connectors/{name}/topics")).Body?.ToJsonString() == $$$"""{"{{{name}}}":{"topics":["{{{prefix}}}-json"]}}""",
            Deadline,
            "the renamed topic is the one listed");
    }

    [Fact]
    public async Task ATransformOfAnUnknownClass_IsRefused()
    {
        var config = SourceConfig(FileIn("in.txt"), Unique("topic"), ("transforms", "x"), ("transforms.x.type", "com.example.NoSuchTransform"));

        var message = AssertError(await Connect.PostAsync("/connectors", new { name = Unique("bad-transform"), config }), 400);

        Assert.StartsWith("Connector configuration is invalid and contains the following 1 error(s):\n", message, StringComparison.Ordinal);
        Assert.Contains("Class com.example.NoSuchTransform could not be found.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithErrorsToleranceAll_ARecordTheConverterCannotRead_IsSkipped_AndTheTaskRunsOn()
    {
        var name = Unique("tolerant");
        var (output, topic) = (FileIn("out.txt"), Unique("topic"));
        await ProduceAsync(topic, """{"n":1}""", "not json", """{"n":3}""");

        await CreateAsync(name, SinkConfig(output, topic,
            ("value.converter", JsonConverter),
            ("value.converter.schemas.enable", "false"),
            ("errors.tolerance", "all")));

        Assert.Equal(["{n=1}", "{n=3}"], await LinesAsync(output, 2));
        var status = await Connect.WaitForStateAsync(name, "RUNNING", 1, Deadline);
        Assert.False(status["tasks"]![0]!.AsObject().ContainsKey("trace"));
        await WaitForOffsetsAsync(name, Json(new { offsets = new[] { new { partition = new { kafka_topic = topic, kafka_partition = 0 }, offset = new { kafka_offset = 3 } } } }));
    }

    [Fact]
    public async Task WithoutErrorTolerance_ARecordTheConverterCannotRead_FailsTheTask()
    {
        var name = Unique("intolerant");
        var (output, topic) = (FileIn("out.txt"), Unique("topic"));
        await ProduceAsync(topic, """{"n":1}""", "not json", """{"n":3}""");

        await CreateAsync(name, SinkConfig(output, topic,
            ("value.converter", JsonConverter),
            ("value.converter.schemas.enable", "false"),
            ("errors.tolerance", "none")));

        JsonNode? task = null;
        await Wait.UntilAsync(
            async () => (task = (await Connect.GetAsync($"/connectors/{name}/status")).Body!["tasks"]!.AsArray().FirstOrDefault()) is { } t && Text(t["state"]) == "FAILED",
            Deadline,
            "the task fails");
        Assert.Contains("Tolerance exceeded in error handler", Text(task!["trace"]), StringComparison.Ordinal);
        Assert.Equal("RUNNING", Text((await Connect.GetAsync($"/connectors/{name}/status")).Body!["connector"]!["state"]));
        Assert.DoesNotContain("{n=3}", File.Exists(output) ? File.ReadAllLines(output) : []);
    }
}
