using System.Text.Json.Nodes;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// A connector's state over Connect's REST API: its status and its tasks', a task that fails and is restarted, every
/// kind of restart, pausing and resuming (data stops and flows again), stopping, and connectors created paused or stopped.
/// </summary>
public sealed class ConnectorStateApiTests(ConnectBrokerFixture broker) : ConnectApiTests(broker), IClassFixture<ConnectBrokerFixture>
{
    private string WorkerId => $"{System.Net.Dns.GetHostName()}:{Broker.ConnectPort}";

    [Fact]
    public async Task ARunningConnector_AndItsTask_AreRunningOnThisWorker()
    {
        var name = Unique("running");
        await CreateAsync(name, SourceConfig(FileIn("in.txt"), Unique("topic")));

        var status = await Connect.WaitForStateAsync(name, "RUNNING", 1, Deadline);

        Assert.Equal(
            $$"""{"name":"{{name}}","connector":{"state":"RUNNING","worker_id":"{{WorkerId}}"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"{{WorkerId}}"}],"type":"source"}""",
            status.ToJsonString());
    }

    [Fact]
    public async Task ASinkWhoseFileCannotBeCreated_FailsItsTask_WithATrace_UntilFixedAndRestarted()
    {
        var name = Unique("failing-sink");
        var topic = Unique("topic");
        var directory = FileIn("not-yet");
        var output = Path.Combine(directory, "out.txt");
        await ProduceAsync(topic, "one", "two");
        await CreateAsync(name, SinkConfig(output, topic));

        var task = await WaitForTaskAsync(name, "FAILED");
        var status = (await Connect.GetAsync($"/connectors/{name}/status")).Body!;
        var taskStatus = await Connect.GetAsync($"/connectors/{name}/tasks/0/status");

        Assert.Contains($"Couldn't find or create file '{output}' for FileStreamSinkTask", Text(task["trace"]), StringComparison.Ordinal);
        Assert.Equal("RUNNING", Text(status["connector"]!["state"]));
        Assert.False(status["connector"]!.AsObject().ContainsKey("trace"));
        Assert.Equal(200, taskStatus.Status);
        Assert.Equal("FAILED", Text(taskStatus.Body!["state"]));
        Assert.Equal(WorkerId, Text(taskStatus.Body["worker_id"]));
        Assert.Contains("Couldn't find or create file", Text(taskStatus.Body["trace"]), StringComparison.Ordinal);

        // A failed task stays failed until it is restarted, and then runs once its cause is gone.
        Directory.CreateDirectory(directory);
        await StaysAsync(() => !File.Exists(output), TimeSpan.FromSeconds(1), "a failed task is not restarted by itself");
        var restarted = await Connect.PostAsync($"/connectors/{name}/tasks/0/restart");

        Assert.Equal(204, restarted.Status);
        Assert.Null(restarted.Body);
        await Connect.WaitForStateAsync(name, "RUNNING", 1, Deadline);
        Assert.Equal(["one", "two"], await LinesAsync(output, 2));
    }

    [Fact]
    public async Task ASourceReadingADirectory_FailsItsTask()
    {
        var name = Unique("directory-source");
        var directory = FileIn("a-directory");
        Directory.CreateDirectory(directory);

        await CreateAsync(name, SourceConfig(directory, Unique("topic")));
        var task = await WaitForTaskAsync(name, "FAILED");

        Assert.Contains($"Error while trying to open file {directory}", Text(task["trace"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartingAConnectorWithAFailedTask_AnswersAsKafkaForEachCombinationOfIncludeTasksAndOnlyFailed()
    {
        var name = Unique("restarts");
        await CreateAsync(name, SinkConfig(Path.Combine(FileIn("missing"), "out.txt"), Unique("topic")));
        await WaitForTaskAsync(name, "FAILED");

        // Both false (the default): the connector object only, 204 and no body.
        var plain = await Connect.PostAsync($"/connectors/{name}/restart");
        var bothFalse = await Connect.PostAsync($"/connectors/{name}/restart?includeTasks=false&onlyFailed=false");
        Assert.Equal((204, null), (plain.Status, plain.Body));
        Assert.Equal((204, null), (bothFalse.Status, bothFalse.Body));

        // Only failed instances, tasks excluded: the connector runs, so nothing restarts; 202 with the status as it is.
        await WaitForTaskAsync(name, "FAILED");
        var onlyFailed = await Connect.PostAsync($"/connectors/{name}/restart?onlyFailed=true");
        Assert.Equal(202, onlyFailed.Status);
        Assert.Equal(("RUNNING", "FAILED"), States(onlyFailed.Body!));

        // Failed tasks included: the connector runs on, the failed task restarts.
        var failedTasks = await Connect.PostAsync($"/connectors/{name}/restart?includeTasks=true&onlyFailed=true");
        Assert.Equal(202, failedTasks.Status);
        Assert.Equal(("RUNNING", "RESTARTING"), States(failedTasks.Body!));
        Assert.Equal(name, Text(failedTasks.Body!["name"]));
        Assert.Equal("sink", Text(failedTasks.Body["type"]));
        await WaitForTaskAsync(name, "FAILED");

        // Every task: the connector and its task restart.
        var everything = await Connect.PostAsync($"/connectors/{name}/restart?includeTasks=true");
        Assert.Equal(202, everything.Status);
        Assert.Equal(("RESTARTING", "RESTARTING"), States(everything.Body!));
        await WaitForTaskAsync(name, "FAILED");
        Assert.Equal("RUNNING", Text((await Connect.GetAsync($"/connectors/{name}/status")).Body!["connector"]!["state"]));
    }

    [Fact]
    public async Task RestartingOnlyFailedInstancesOfAHealthyConnector_RestartsNothing()
    {
        var name = Unique("healthy");
        await CreateRunningAsync(name, SourceConfig(FileIn("in.txt"), Unique("topic")));

        var onlyFailed = await Connect.PostAsync($"/connectors/{name}/restart?includeTasks=true&onlyFailed=true");
        var all = await Connect.PostAsync($"/connectors/{name}/restart?includeTasks=true&onlyFailed=false");

        Assert.Equal(202, onlyFailed.Status);
        Assert.Equal(("RUNNING", "RUNNING"), States(onlyFailed.Body!));
        Assert.Equal(202, all.Status);
        Assert.Equal(("RESTARTING", "RESTARTING"), States(all.Body!));
        await Connect.WaitForStateAsync(name, "RUNNING", 1, Deadline);
    }

    [Fact]
    public async Task APausedSource_MovesNoRecords_UntilResumed()
    {
        var name = Unique("paused");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await File.WriteAllLinesAsync(input, ["before"]);
        await CreateRunningAsync(name, SourceConfig(input, topic));
        Assert.Equal(["before"], await ReadAsync(topic, 1));

        var paused = await Connect.PutAsync($"/connectors/{name}/pause");
        var pausedAgain = await Connect.PutAsync($"/connectors/{name}/pause");
        await Connect.WaitForStateAsync(name, "PAUSED", 1, Deadline);
        await File.AppendAllLinesAsync(input, ["while paused"]);

        Assert.Equal((202, null), (paused.Status, paused.Body));
        Assert.Equal(202, pausedAgain.Status);
        await StaysAsync(() => ReadAll(topic).Count == 1, TimeSpan.FromSeconds(2), "a paused source writes nothing");

        var resumed = await Connect.PutAsync($"/connectors/{name}/resume");

        Assert.Equal((202, null), (resumed.Status, resumed.Body));
        Assert.Equal(["before", "while paused"], await ReadAsync(topic, 2));
        await Connect.WaitForStateAsync(name, "RUNNING", 1, Deadline);
    }

    [Fact]
    public async Task AStoppedConnector_HasNoTasks_UntilResumed()
    {
        var name = Unique("stopped");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await CreateRunningAsync(name, SourceConfig(input, topic));

        var stopped = await Connect.PutAsync($"/connectors/{name}/stop");
        var stoppedAgain = await Connect.PutAsync($"/connectors/{name}/stop");
        var status = await Connect.GetAsync($"/connectors/{name}/status");

        Assert.Equal((204, null), (stopped.Status, stopped.Body));
        Assert.Equal(204, stoppedAgain.Status);
        Assert.Equal(
            $$"""{"name":"{{name}}","connector":{"state":"STOPPED","worker_id":"{{WorkerId}}"},"tasks":[],"type":"source"}""",
            status.Body!.ToJsonString());
        Assert.Equal("[]", (await Connect.GetAsync($"/connectors/{name}")).Body!["tasks"]!.ToJsonString());
        Assert.Equal("[]", (await Connect.GetAsync($"/connectors/{name}/tasks")).Body!.ToJsonString());
        Assert.Equal("{}", (await Connect.GetAsync($"/connectors/{name}/tasks-config")).Body!.ToJsonString());

        // Nothing runs while stopped: a line written now is read once resumed.
        await File.WriteAllLinesAsync(input, ["after the stop"]);
        await StaysAsync(() => ReadAll(topic).Count == 0, TimeSpan.FromSeconds(1), "a stopped source writes nothing");
        Assert.Equal(202, (await Connect.PutAsync($"/connectors/{name}/resume")).Status);
        await Connect.WaitForStateAsync(name, "RUNNING", 1, Deadline);
        Assert.Equal(["after the stop"], await ReadAsync(topic, 1));
    }

    [Fact]
    public async Task AConnectorCreatedPaused_IsPaused_AndWritesNothingUntilResumed()
    {
        var name = Unique("created-paused");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await File.WriteAllLinesAsync(input, ["a line"]);

        await CreateAsync(name, SourceConfig(input, topic), initialState: "PAUSED");

        await Connect.WaitForStateAsync(name, "PAUSED", 1, Deadline);
        await StaysAsync(() => ReadAll(topic).Count == 0, TimeSpan.FromSeconds(1), "a source created paused writes nothing");
        Assert.Equal(202, (await Connect.PutAsync($"/connectors/{name}/resume")).Status);
        Assert.Equal(["a line"], await ReadAsync(topic, 1));
    }

    [Fact]
    public async Task AConnectorCreatedStopped_IsStoppedWithoutTasks_UntilResumed()
    {
        var name = Unique("created-stopped");
        var (input, topic) = (FileIn("in.txt"), Unique("topic"));
        await File.WriteAllLinesAsync(input, ["a line"]);

        var created = await CreateAsync(name, SourceConfig(input, topic), initialState: "STOPPED");
        var status = await Connect.GetAsync($"/connectors/{name}/status");

        Assert.Equal("[]", created["tasks"]!.ToJsonString());
        Assert.Equal("STOPPED", Text(status.Body!["connector"]!["state"]));
        Assert.Equal("[]", status.Body["tasks"]!.ToJsonString());
        Assert.Equal(202, (await Connect.PutAsync($"/connectors/{name}/resume")).Status);
        await Connect.WaitForStateAsync(name, "RUNNING", 1, Deadline);
        Assert.Equal(["a line"], await ReadAsync(topic, 1));
    }

    [Fact]
    public async Task ChangingTheStateOfAConnectorThatDoesNotExist_Is404()
    {
        var name = Unique("absent");

        Assert.Equal($"Unknown connector {name}", AssertError(await Connect.PutAsync($"/connectors/{name}/pause"), 404));
        Assert.Equal($"Unknown connector {name}", AssertError(await Connect.PutAsync($"/connectors/{name}/resume"), 404));
        Assert.Equal($"Connector {name} not found", AssertError(await Connect.PutAsync($"/connectors/{name}/stop"), 404));
        Assert.Equal($"Connector {name} not found", AssertError(await Connect.PostAsync($"/connectors/{name}/restart"), 404));
        Assert.Equal($"Unknown connector: {name}", AssertError(await Connect.PostAsync($"/connectors/{name}/restart?includeTasks=true"), 404));
    }

    private static (string Connector, string Task) States(JsonNode status) =>
        (Text(status["connector"]!["state"]), Text(Assert.Single(status["tasks"]!.AsArray())!["state"]));

    /// <summary>Waits until task 0 of the connector is in <paramref name="state"/>; answers its status.</summary>
    private async Task<JsonNode> WaitForTaskAsync(string connector, string state)
    {
        JsonNode? task = null;
        await Wait.UntilAsync(
            async () =>
            {
                var (status, body) = await Connect.GetAsync($"/connectors/{connector}/status");
                task = status == 200 ? body!["tasks"]!.AsArray().FirstOrDefault() : null;
                return task is not null && Text(task["state"]) == state;
            },
            Deadline,
            $"task 0 of {connector} is {state}");
        return task!;
    }
}
