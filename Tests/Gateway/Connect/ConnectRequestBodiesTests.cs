using System.Text;
using System.Text.Json;
using Tributary.Gateway.Connect.Endpoints;
using Tributary.Gateway.Connect.Json;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>The bodies of Connect's REST API that are more than a config map: creating a connector, its offsets, plug-in names.</summary>
public sealed class ConnectRequestBodiesTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Theory]
    [InlineData(null, ConnectorTargetState.Started)]
    [InlineData("\"RUNNING\"", ConnectorTargetState.Started)]
    [InlineData("\"paused\"", ConnectorTargetState.Paused)]
    [InlineData("\"Stopped\"", ConnectorTargetState.Stopped)]
    public void ACreateRequest_TakesItsInitialStateInAnyCase(string? state, ConnectorTargetState expected)
    {
        var body = Json($$"""{"name": "  c1 ", "config": {"tasks.max": 1}{{(state is null ? "" : $", \"initial_state\": {state}")}}}""");

        var request = CreateConnectorRequest.Read(body, out var error);

        Assert.Null(error);
        Assert.Equal(("c1", expected, "1"), (request!.Name, request.InitialState, request.Config["tasks.max"]));
    }

    [Theory]
    [InlineData("""{"name": "c1"}""", "The connector's config is missing")]
    [InlineData("""{"name": "c1", "config": {}, "initial_state": "FAILED"}""", "Invalid initial_state \"FAILED\": it must be one of RUNNING, PAUSED, STOPPED")]
    [InlineData("""{"name": {}, "config": {}}""", "The connector's name must be a string, not an object")]
    public void AnInvalidCreateRequest_IsRefused(string json, string expected)
    {
        Assert.Null(CreateConnectorRequest.Read(Json(json), out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void ACreateRequestWithoutAName_HasAnEmptyOne() =>
        Assert.Equal("", CreateConnectorRequest.Read(Json("""{"config": {}}"""), out _)!.Name);

    [Fact]
    public void Offsets_PassThroughAsJsonText_CompactedWhenRead()
    {
        var offsets = ConnectorOffsets.Read(
            Json("""{"offsets": [{"partition": { "filename" : "a.txt" }, "offset": {"position": 42}}, {"partition": {"kafka_topic": "t", "kafka_partition": 0}, "offset": null}]}"""),
            out var error);

        Assert.Null(error);
        Assert.Equal(
            [new ConnectorOffset("""{"filename":"a.txt"}""", """{"position":42}"""), new ConnectorOffset("""{"kafka_topic":"t","kafka_partition":0}""", null)],
            offsets);
        Assert.Equal(
            """{"offsets":[{"partition":{"filename":"a.txt"},"offset":{"position":42}},{"partition":{"kafka_topic":"t","kafka_partition":0},"offset":null}]}""",
            Encoding.UTF8.GetString(ConnectorOffsets.Write(offsets!)));
    }

    [Theory]
    [InlineData("""{}""", "Partitions / offsets need to be provided for an alter offsets request")]
    [InlineData("""{"offsets": []}""", "Partitions / offsets need to be provided for an alter offsets request")]
    [InlineData("""{"offsets": [{"offset": {}}]}""", "The partition of each offset must be a JSON object")]
    [InlineData("""{"offsets": [{"partition": {}, "offset": 5}]}""", "The offset of each partition must be a JSON object or null, not a number")]
    public void AnInvalidOffsetAlteration_IsRefused(string json, string expected)
    {
        Assert.Null(ConnectorOffsets.Read(Json(json), out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("org.apache.kafka.connect.file.FileStreamSinkConnector", "FileStreamSinkConnector", true)]
    [InlineData("org.apache.kafka.connect.file.FileStreamSinkConnector", "FileStreamSink", true)]
    [InlineData("org.apache.kafka.connect.file.FileStreamSinkConnector", "org.apache.kafka.connect.file.FileStreamSinkConnector", true)]
    [InlineData("FileStreamSink", "FileStreamSinkConnector", true)]
    [InlineData("org.apache.kafka.connect.file.FileStreamSinkConnector", "FileStreamSourceConnector", false)]
    public void AValidatedConfig_MustNameThePluginOfThePath_BySimpleOrFullName(string connectorClass, string plugin, bool matches) =>
        Assert.Equal(matches, PluginsEndpoints.IsPlugin(connectorClass, plugin));
}
