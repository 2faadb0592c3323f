namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// Connectors' offsets over Connect's REST API (KIP-875): a source's position in its file, a sink's committed offsets,
/// and altering or resetting them — refused unless the connector is STOPPED, effective once it is resumed.
/// </summary>
public sealed class OffsetsApiTests(ConnectBrokerFixture broker) : ConnectApiTests(broker), IClassFixture<ConnectBrokerFixture>
{
    private const string NotStopped =
        "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/{0}/stop' endpoint";

    [Fact]
    public async Task ASourcesOffset_IsItsPositionInItsFile()
    {
        var name = Unique("source-offsets");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await File.WriteAllTextAsync(input, "a\nbb\n");

        await CreateRunningAsync(name, SourceConfig(input, topic));

        await WaitForOffsetsAsync(name, SourceOffsets(input, 5));
    }

    [Fact]
    public async Task ASinksOffsets_AreTheNextOffsetsToReadOfItsTopicPartitions()
    {
        var name = Unique("sink-offsets");
        var (output, topic) = (FileIn("out.txt"), Unique("topic"));
        await ProduceAsync(topic, "r0", "r1", "r2");

        await CreateRunningAsync(name, SinkConfig(output, topic));

        Assert.Equal(["r0", "r1", "r2"], await LinesAsync(output, 3));
        await WaitForOffsetsAsync(name, SinkOffsets(topic, 3));
    }

    [Fact]
    public async Task TheOffsetsOfAConnectorThatDoesNotExist_AreNotFound()
    {
        var name = Unique("absent");

        Assert.Equal($"Connector {name} not found", AssertError(await Connect.GetAsync($"/connectors/{name}/offsets"), 404));
        Assert.Equal($"Connector {name} not found", AssertError(await Connect.PatchAsync($"/connectors/{name}/offsets", SourceOffsets("x", 0)), 404));
        Assert.Equal($"Connector {name} not found", AssertError(await Connect.DeleteAsync($"/connectors/{name}/offsets"), 404));
    }

    [Fact]
    public async Task TheOffsetsOfARunningOrPausedConnector_MayNotBeAlteredOrReset()
    {
        var name = Unique("not-stopped");
        var input = FileIn("in.txt");
        await CreateRunningAsync(name, SourceConfig(input, Unique("topic")));

        Assert.Equal(string.Format(null, NotStopped, name), AssertError(await Connect.PatchAsync($"/connectors/{name}/offsets", SourceOffsets(input, 0)), 400));
        Assert.Equal(string.Format(null, NotStopped, name), AssertError(await Connect.DeleteAsync($"/connectors/{name}/offsets"), 400));

        Assert.Equal(202, (await Connect.PutAsync($"/connectors/{name}/pause")).Status);
        Assert.Equal(string.Format(null, NotStopped, name), AssertError(await Connect.PatchAsync($"/connectors/{name}/offsets", SourceOffsets(input, 0)), 400));
        Assert.Equal(string.Format(null, NotStopped, name), AssertError(await Connect.DeleteAsync($"/connectors/{name}/offsets"), 400));
    }

    [Fact]
    public async Task AnAlterationWithoutOffsets_OrWithAnInvalidOne_IsRefused()
    {
        var name = Unique("invalid-offsets");
        var input = FileIn("in.txt");
        await CreateAsync(name, SourceConfig(input, Unique("topic")), initialState: "STOPPED");

        Assert.Equal(
            "Partitions / offsets need to be provided for an alter offsets request",
            AssertError(await Connect.PatchAsync($"/connectors/{name}/offsets", """{"offsets": []}"""), 400));
        Assert.Equal(
            "The value for the 'position' key in the offset should be a non-negative value",
            AssertError(await Connect.PatchAsync($"/connectors/{name}/offsets", SourceOffsets(input, -1)), 400));
        Assert.Equal("""{"offsets":[]}""", (await Connect.GetAsync($"/connectors/{name}/offsets")).Body!.ToJsonString());
    }

    [Fact]
    public async Task AStoppedSourceMovedBackToTheStartOfItsFile_WritesItsLinesAgain_OnceResumed()
    {
        var name = Unique("source-rewind");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await File.WriteAllLinesAsync(input, ["one", "two"]);
        await CreateRunningAsync(name, SourceConfig(input, topic));
        Assert.Equal(["one", "two"], await ReadAsync(topic, 2));
        await WaitForOffsetsAsync(name, SourceOffsets(input, 8));
        Assert.Equal(204, (await Connect.PutAsync($"/connectors/{name}/stop")).Status);

        var altered = await Connect.PatchAsync($"/connectors/{name}/offsets", SourceOffsets(input, 0));

        Assert.Equal(200, altered.Status);
        Assert.Equal("""{"message":"The offsets for this connector have been altered successfully"}""", altered.Body!.ToJsonString());
        await WaitForOffsetsAsync(name, SourceOffsets(input, 0));
        Assert.Equal(["one", "two"], ReadAll(topic));

        Assert.Equal(202, (await Connect.PutAsync($"/connectors/{name}/resume")).Status);

        Assert.Equal(["one", "two", "one", "two"], await ReadAsync(topic, 4));
        await WaitForOffsetsAsync(name, SourceOffsets(input, 8));
    }

    [Fact]
    public async Task AStoppedSourceWhoseOffsetsAreReset_StartsItsFileAgain()
    {
        var name = Unique("source-reset");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await File.WriteAllLinesAsync(input, ["only"]);
        await CreateRunningAsync(name, SourceConfig(input, topic));
        await WaitForOffsetsAsync(name, SourceOffsets(input, 5));
        Assert.Equal(204, (await Connect.PutAsync($"/connectors/{name}/stop")).Status);

        var reset = await Connect.DeleteAsync($"/connectors/{name}/offsets");

        Assert.Equal(200, reset.Status);
        Assert.Equal("""{"message":"The offsets for this connector have been reset successfully"}""", reset.Body!.ToJsonString());
        Assert.Equal("""{"offsets":[]}""", (await Connect.GetAsync($"/connectors/{name}/offsets")).Body!.ToJsonString());
        Assert.Equal(202, (await Connect.PutAsync($"/connectors/{name}/resume")).Status);
        Assert.Equal(["only", "only"], await ReadAsync(topic, 2));
    }

    [Fact]
    public async Task AStoppedSinkWhoseOffsetsAreReset_WritesTheWholeTopicAgain_OnceResumed()
    {
        var name = Unique("sink-reset");
        var (output, topic) = (FileIn("out.txt"), Unique("topic"));
        await ProduceAsync(topic, "r0", "r1", "r2");
        await CreateRunningAsync(name, SinkConfig(output, topic));
        await LinesAsync(output, 3);
        await WaitForOffsetsAsync(name, SinkOffsets(topic, 3));
        Assert.Equal(204, (await Connect.PutAsync($"/connectors/{name}/stop")).Status);

        var reset = await Connect.DeleteAsync($"/connectors/{name}/offsets");

        Assert.Equal(200, reset.Status);
        Assert.Equal("""{"message":"The offsets for this connector have been reset successfully"}""", reset.Body!.ToJsonString());
        Assert.Equal("""{"offsets":[]}""", (await Connect.GetAsync($"/connectors/{name}/offsets")).Body!.ToJsonString());
        Assert.Equal(202, (await Connect.PutAsync($"/connectors/{name}/resume")).Status);
        Assert.Equal(["r0", "r1", "r2", "r0", "r1", "r2"], await LinesAsync(output, 6));
        await WaitForOffsetsAsync(name, SinkOffsets(topic, 3));
    }

    [Fact]
    public async Task AStoppedSinkMovedToAnOffset_WritesTheTopicFromThere_OnceResumed()
    {
        var name = Unique("sink-alter");
        var (output, topic) = (FileIn("out.txt"), Unique("topic"));
        await ProduceAsync(topic, "r0", "r1", "r2");
        await CreateRunningAsync(name, SinkConfig(output, topic));
        await WaitForOffsetsAsync(name, SinkOffsets(topic, 3));
        Assert.Equal(204, (await Connect.PutAsync($"/connectors/{name}/stop")).Status);

        var altered = await Connect.PatchAsync($"/connectors/{name}/offsets", SinkOffsets(topic, 2));

        Assert.Equal(200, altered.Status);
        Assert.Equal("""{"message":"The offsets for this connector have been altered successfully"}""", altered.Body!.ToJsonString());
        await WaitForOffsetsAsync(name, SinkOffsets(topic, 2));
        Assert.Equal(202, (await Connect.PutAsync($"/connectors/{name}/resume")).Status);
        Assert.Equal(["r0", "r1", "r2", "r2"], await LinesAsync(output, 4));
    }

    private static string SourceOffsets(string file, long position) =>
        Json(new { offsets = new[] { new { partition = new { filename = file }, offset = new { position } } } });

    private static string SinkOffsets(string topic, long offset) =>
        Json(new { offsets = new[] { new { partition = new { kafka_topic = topic, kafka_partition = 0 }, offset = new { kafka_offset = offset } } } });
}
