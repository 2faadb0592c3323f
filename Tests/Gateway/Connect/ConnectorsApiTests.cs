using System.Text.Json.Nodes;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// The worker and its connectors over Connect's REST API: the root and health, listing (and expanding), creating,
/// reading and deleting connectors, their configs, their tasks and the topics they use — as Kafka answers each.
/// </summary>
public sealed class ConnectorsApiTests(ConnectBrokerFixture broker) : ConnectApiTests(broker), IClassFixture<ConnectBrokerFixture>
{
    [Fact]
    public async Task TheRoot_NamesKafkasVersion_TheCommit_AndTheKafkaClusterId()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Broker.BootstrapServers }).Build();
        var cluster = await admin.DescribeClusterAsync();

        var (status, body) = await Connect.GetAsync("/");

        Assert.Equal(200, status);
        Assert.Equal("3.9.0", Text(body!["version"]));
        Assert.NotNull(body["commit"]);
        Assert.Equal(cluster.ClusterId, Text(body["kafka_cluster_id"]));
    }

    [Fact]
    public async Task AStartedWorker_IsHealthy()
    {
        var (status, body) = await Connect.GetAsync("/health");

        Assert.Equal(200, status);
        Assert.Equal("""{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}""", body!.ToJsonString());
    }

    [Fact]
    public async Task ACreatedConnector_Is201_WithItsLocationAndDefinition_AndIsListed()
    {
        var name = Unique("created");
        var config = SourceConfig(FileIn("in.txt"), Unique("topic"));

        var (status, body) = await Connect.PostAsync("/connectors", new { name, config });
        var listed = await Connect.GetAsync("/connectors");

        Assert.Equal(201, status);
        Assert.Equal(name, Text(body!["name"]));
        Assert.Equal("source", Text(body["type"]));
        Assert.Equal(config.Append(new("name", name)).ToDictionary(), body["config"]!.AsObject().ToDictionary(p => p.Key, p => Text(p.Value)));
        Assert.Contains(name, listed.Body!.AsArray().Select(Text));
        var info = await Connect.GetAsync($"/connectors/{name}");
        Assert.Equal(200, info.Status);
        Assert.Equal(name, Text(info.Body!["name"]));
        await Wait.UntilAsync(async () => (await Connect.GetAsync($"/connectors/{name}")).Body!["tasks"]!.AsArray().Count == 1, Deadline, "the connector has its task");
        Assert.Equal($$"""[{"connector":"{{name}}","task":0}]""", (await Connect.GetAsync($"/connectors/{name}")).Body!["tasks"]!.ToJsonString());
    }

    [Fact]
    public async Task ACreatedConnector_IsLocatedAtItsOwnPath()
    {
        var name = Unique("located");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Broker.ConnectUrl + "/connectors")
        {
            Content = new StringContent(Json(new { name, config = SourceConfig(FileIn("in.txt"), Unique("topic")) }), System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await http.SendAsync(request);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(new Uri($"{Broker.ConnectUrl}/connectors/{name}"), response.Headers.Location);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task TheList_ExpandsToEachConnectorsStatus_Info_OrBoth()
    {
        var name = Unique("expanded");
        await CreateRunningAsync(name, SourceConfig(FileIn("in.txt"), Unique("topic")));

        var status = (await Connect.GetAsync("/connectors?expand=status")).Body![name]!;
        var info = (await Connect.GetAsync("/connectors?expand=info")).Body![name]!;
        var both = (await Connect.GetAsync("/connectors?expand=status&expand=info")).Body![name]!;

        Assert.Equal(["status"], status.AsObject().Select(p => p.Key));
        Assert.Equal(name, Text(status["status"]!["name"]));
        Assert.Equal("RUNNING", Text(status["status"]!["connector"]!["state"]));
        Assert.Equal("RUNNING", Text(status["status"]!["tasks"]![0]!["state"]));
        Assert.Equal("source", Text(status["status"]!["type"]));
        Assert.Equal(["info"], info.AsObject().Select(p => p.Key));
        Assert.Equal(name, Text(info["info"]!["name"]));
        Assert.Equal(FileStreamSource, Text(info["info"]!["config"]!["connector.class"]));
        Assert.Equal($$"""[{"connector":"{{name}}","task":0}]""", info["info"]!["tasks"]!.ToJsonString());
        Assert.Equal(["info", "status"], both.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task CreatingAConnectorThatExists_Is409()
    {
        var name = Unique("twice");
        await CreateAsync(name, SourceConfig(FileIn("in.txt"), Unique("topic")));

        var again = await Connect.PostAsync("/connectors", new { name, config = SourceConfig(FileIn("other.txt"), Unique("topic")) });

        Assert.Equal($"Connector {name} already exists", AssertError(again, 409));
        Assert.Equal(FileIn("in.txt"), Text((await Connect.GetAsync($"/connectors/{name}/config")).Body!["file"]));
    }

    [Fact]
    public async Task AConfigWithoutAConnectorClass_Is400()
    {
        var name = Unique("classless");

        var answer = await Connect.PostAsync("/connectors", new { name, config = new Dictionary<string, string> { ["tasks.max"] = "1" } });

        var message = AssertError(answer, 400);
        Assert.StartsWith("Connector config {", message, StringComparison.Ordinal);
        Assert.EndsWith("} contains no connector type", message, StringComparison.Ordinal);
        Assert.Equal(404, (await Connect.GetAsync($"/connectors/{name}")).Status);
    }

    [Fact]
    public async Task AnUnknownConnectorClass_Is400_NamingTheClass()
    {
        var name = Unique("unknown");
        var config = SourceConfig(FileIn("in.txt"), Unique("topic"));
        config["connector.class"] = "com.example.NoSuchConnector";

        var message = AssertError(await Connect.PostAsync("/connectors", new { name, config }), 400);

        Assert.Contains("Failed to find any class that implements", message, StringComparison.Ordinal);
        Assert.Contains("com.example.NoSuchConnector", message, StringComparison.Ordinal);
        Assert.Equal(404, (await Connect.GetAsync($"/connectors/{name}")).Status);
    }

    [Fact]
    public async Task ASinkWithBothTopicsAndTopicsRegex_Is400_ListingTheErrors()
    {
        var name = Unique("both");
        var config = SinkConfig(FileIn("out.txt"), "a", ("topics.regex", "b.*"));

        var message = AssertError(await Connect.PostAsync("/connectors", new { name, config }), 400);

        Assert.Equal(
            "Connector configuration is invalid and contains the following 2 error(s):\n"
            + "topics and topics.regex are mutually exclusive options, but both are set.\n"
            + "topics and topics.regex are mutually exclusive options, but both are set.\n"
            + "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
            message);
    }

    [Fact]
    public async Task AnInvalidConnectorName_Is400()
    {
        var answer = await Connect.PostAsync("/connectors", new { name = "  ", config = SourceConfig(FileIn("in.txt"), Unique("topic")) });

        Assert.Contains("String may not be empty", AssertError(answer, 400), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingAConnector_Is204_AndThenItIsNotFound()
    {
        var name = Unique("deleted");
        await CreateRunningAsync(name, SourceConfig(FileIn("in.txt"), Unique("topic")));

        var deleted = await Connect.DeleteAsync($"/connectors/{name}");

        Assert.Equal(204, deleted.Status);
        Assert.Null(deleted.Body);
        Assert.Equal($"Connector {name} not found", AssertError(await Connect.GetAsync($"/connectors/{name}"), 404));
        Assert.Equal($"Connector {name} not found", AssertError(await Connect.GetAsync($"/connectors/{name}/config"), 404));
        Assert.Equal($"Connector {name} not found", AssertError(await Connect.DeleteAsync($"/connectors/{name}"), 404));
        Assert.DoesNotContain(name, (await Connect.GetAsync("/connectors")).Body!.AsArray().Select(Text));
    }

    [Fact]
    public async Task PuttingAConfig_Creates201_ThenReplaces200()
    {
        var name = Unique("put");
        var config = SourceConfig(FileIn("in.txt"), Unique("topic"));

        var created = await Connect.PutAsync($"/connectors/{name}/config", config);
        config["batch.size"] = "10";
        var replaced = await Connect.PutAsync($"/connectors/{name}/config", config);
        var read = await Connect.GetAsync($"/connectors/{name}/config");

        Assert.Equal(201, created.Status);
        Assert.Equal(name, Text(created.Body!["name"]));
        Assert.Equal(200, replaced.Status);
        Assert.Equal("10", Text(replaced.Body!["config"]!["batch.size"]));
        Assert.Equal(200, read.Status);
        Assert.Equal(config.Append(new("name", name)).ToDictionary(), read.Body!.AsObject().ToDictionary(p => p.Key, p => Text(p.Value)));
    }

    [Fact]
    public async Task PuttingAConfigThatNamesAnotherConnector_Is400()
    {
        var name = Unique("named");
        var config = SourceConfig(FileIn("in.txt"), Unique("topic"));
        config["name"] = "someone-else";

        var answer = await Connect.PutAsync($"/connectors/{name}/config", config);

        Assert.Equal($"Connector name configuration (someone-else) doesn't match connector name in the URL ({name})", AssertError(answer, 400));
        Assert.Equal(404, (await Connect.GetAsync($"/connectors/{name}")).Status);
    }

    [Fact]
    public async Task PatchingAConfig_ChangesAndRemovesKeys_AndTheConnectorWorksWithTheNewConfig()
    {
        var name = Unique("patched");
        var input = FileIn("in.txt");
        var (before, after) = (Unique("before"), Unique("after"));
        await File.WriteAllLinesAsync(input, ["first"]);
        await CreateRunningAsync(name, SourceConfig(input, before, ("batch.size", "10")));
        Assert.Equal(["first"], await ReadAsync(before, 1));
        await WaitForOffsetsAsync(name, Json(new { offsets = new[] { new { partition = new { filename = input }, offset = new { position = 6 } } } }));

        var patched = await Connect.PatchAsync($"/connectors/{name}/config", """{"topic": "%T", "batch.size": null}""".Replace("%T", after, StringComparison.Ordinal));
        await File.AppendAllLinesAsync(input, ["second"]);

        Assert.Equal(200, patched.Status);
        Assert.Equal(after, Text(patched.Body!["config"]!["topic"]));
        Assert.False(patched.Body["config"]!.AsObject().ContainsKey("batch.size"));
        var config = (await Connect.GetAsync($"/connectors/{name}/config")).Body!.AsObject();
        Assert.Equal(after, Text(config["topic"]));
        Assert.False(config.ContainsKey("batch.size"));
        Assert.Equal(["second"], await ReadAsync(after, 1));
        Assert.Equal(["first"], ReadAll(before));
    }

    [Fact]
    public async Task PatchingAConnectorThatDoesNotExist_Is404()
    {
        var name = Unique("absent");

        Assert.Equal($"Connector {name} not found", AssertError(await Connect.PatchAsync($"/connectors/{name}/config", new { topic = "t" }), 404));
    }

    [Fact]
    public async Task ARunningConnector_ListsItsTasksWithTheirConfigs_AndEachTasksStatus()
    {
        var name = Unique("tasks");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await CreateRunningAsync(name, SourceConfig(input, topic));

        var tasks = await Connect.GetAsync($"/connectors/{name}/tasks");
        var configs = await Connect.GetAsync($"/connectors/{name}/tasks-config");
        var task0 = await Connect.GetAsync($"/connectors/{name}/tasks/0/status");
        var task1 = await Connect.GetAsync($"/connectors/{name}/tasks/1/status");

        Assert.Equal(200, tasks.Status);
        var task = Assert.Single(tasks.Body!.AsArray())!;
        Assert.Equal($$"""{"connector":"{{name}}","task":0}""", task["id"]!.ToJsonString());
        Assert.Equal(input, Text(task["config"]!["file"]));
        Assert.Equal(topic, Text(task["config"]!["topic"]));
        Assert.Equal(200, configs.Status);
        Assert.Equal([$"{name}-0"], configs.Body!.AsObject().Select(p => p.Key));
        Assert.Equal(input, Text(configs.Body[$"{name}-0"]!["file"]));
        Assert.Equal(200, task0.Status);
        Assert.Equal(0, task0.Body!["id"]!.GetValue<int>());
        Assert.Equal("RUNNING", Text(task0.Body["state"]));
        Assert.Equal($"{System.Net.Dns.GetHostName()}:{Broker.ConnectPort}", Text(task0.Body["worker_id"]));
        Assert.Equal($"No status found for task {name}-1", AssertError(task1, 404));
    }

    [Fact]
    public async Task TheTasksOfAConnectorThatDoesNotExist_AreNotFound()
    {
        var name = Unique("absent");

        Assert.Equal($"Connector {name} not found", AssertError(await Connect.GetAsync($"/connectors/{name}/tasks"), 404));
        AssertError(await Connect.GetAsync($"/connectors/{name}/tasks-config"), 404);
        Assert.Equal($"No status found for task {name}-0", AssertError(await Connect.GetAsync($"/connectors/{name}/tasks/0/status"), 404));
        Assert.Equal($"Connector {name} not found", AssertError(await Connect.PostAsync($"/connectors/{name}/tasks/0/restart"), 404));
        Assert.Equal($"No status found for connector {name}", AssertError(await Connect.GetAsync($"/connectors/{name}/status"), 404));
    }

    [Fact]
    public async Task ASource_ListsTheTopicItWritesTo_UntilItsTopicsAreReset()
    {
        var name = Unique("topics");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await File.WriteAllLinesAsync(input, ["a line"]);
        await CreateRunningAsync(name, SourceConfig(input, topic));
        await ReadAsync(topic, 1);

        await Wait.UntilAsync(
            async () => (await Connect.GetAsync($"/connectors/{name}/topics")).Body?.ToJsonString() == $$$"""{"{{{name}}}":{"topics":["{{{topic}}}"]}}""",
            Deadline,
            "the source's topic is listed");
        var reset = await Connect.PutAsync($"/connectors/{name}/topics/reset");
        var after = await Connect.GetAsync($"/connectors/{name}/topics");

        Assert.Equal(202, reset.Status);
        Assert.Null(reset.Body);
        Assert.Equal(200, after.Status);
        Assert.Equal($$$"""{"{{{name}}}":{"topics":[]}}""", after.Body!.ToJsonString());
    }

    [Fact]
    public async Task TheWorkersLoggers_AreListed_AndTheirLevelsSet()
    {
        var logger = "Tributary.Tests.Connect" + Guid.NewGuid().ToString("N")[..8];

        var all = await Connect.GetAsync("/admin/loggers");
        var set = await Connect.PutAsync($"/admin/loggers/{logger}", new { level = "DEBUG" });
        var one = await Connect.GetAsync($"/admin/loggers/{logger}");
        var cluster = await Connect.PutAsync($"/admin/loggers/{logger}?scope=cluster", new { level = "error" });
        var after = await Connect.GetAsync($"/admin/loggers/{logger}");

        Assert.Equal(200, all.Status);
        Assert.NotNull(all.Body!["root"]!["level"]);
        Assert.Equal(200, set.Status);
        Assert.Equal([logger], set.Body!.AsArray().Select(Text));
        Assert.Equal(200, one.Status);
        Assert.Equal("DEBUG", Text(one.Body!["level"]));
        Assert.True(one.Body["last_modified"]!.GetValue<long>() > 0);
        Assert.Equal(204, cluster.Status);
        Assert.Equal("ERROR", Text(after.Body!["level"]));
        Assert.Contains(logger, (await Connect.GetAsync("/admin/loggers")).Body!.AsObject().Select(p => p.Key));
        Assert.Equal("Desired 'level' parameter was not specified in request.", AssertError(await Connect.PutAsync($"/admin/loggers/{logger}", new { }), 400));
        Assert.Equal("invalid log level 'LOUD'.", AssertError(await Connect.PutAsync($"/admin/loggers/{logger}", new { level = "LOUD" }), 404));
        Assert.Equal("Logger no.such.Logger not found.", AssertError(await Connect.GetAsync("/admin/loggers/no.such.Logger"), 404));
    }
}
