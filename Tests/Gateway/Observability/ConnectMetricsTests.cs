using Confluent.Kafka;
using Tributary.Tests.Gateway.Connect;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>
/// Kafka Connect's task metrics as Prometheus scrapes them from the silo while a FileStreamSource and a FileStreamSink
/// with a dead letter queue run: records polled and written, read and put, offsets committed, and a record the sink's
/// converter cannot read counted as an error, skipped, logged and dead-lettered, per connector and task.
/// </summary>
public sealed class ConnectMetricsTests(PrometheusBroker broker) : IClassFixture<PrometheusBroker>, IDisposable
{
    private const int Lines = 25;

    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-connect-metrics-").FullName;

    [Fact]
    public async Task ASourceAndASinkWithADeadLetterQueue_CountTheirRecordsCommitsAndErrors()
    {
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("metered-sink-in", new Message<string, string> { Key = "k1", Value = "{\"n\":1}" });
            await producer.ProduceAsync("metered-sink-in", new Message<string, string> { Key = "k2", Value = "not json" });
            await producer.ProduceAsync("metered-sink-in", new Message<string, string> { Key = "k3", Value = "{\"n\":3}" });
        }

        var input = Path.Combine(_directory, "in.txt");
        await File.WriteAllLinesAsync(input, Enumerable.Range(0, Lines).Select(i => $"line {i}"));
        using var connect = new ConnectClient(broker.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/metered-source/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = input,
            ["topic"] = "metered-source-out",
        })).Status);
        Assert.Equal(201, (await connect.PutAsync("/connectors/metered-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSink",
            ["file"] = Path.Combine(_directory, "out.txt"),
            ["topics"] = "metered-sink-in",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["value.converter.schemas.enable"] = "false",
            ["errors.tolerance"] = "all",
            ["errors.log.enable"] = "true",
            ["errors.deadletterqueue.topic.name"] = "metered-sink-dlq",
            ["errors.deadletterqueue.topic.replication.factor"] = "1",
        })).Status);

        const string source = """connector="metered-source",task="0" """;
        const string sink = """connector="metered-sink",task="0" """;
        Assert.Equal(Lines, await broker.WaitForAsync(
            $"kafka_connect_source_task_metrics_source_record_poll_total{{{source}}}", v => v >= Lines, "the source's lines polled"));
        Assert.Equal(Lines, await broker.WaitForAsync(
            $"kafka_connect_source_task_metrics_source_record_write_total{{{source}}}", v => v >= Lines, "the source's lines written"));
        Assert.True(await broker.Prometheus.ValueAsync($"kafka_connect_source_task_metrics_poll_batch_time_ms_count{{{source}}}") >= 1);
        await broker.WaitForAsync(
            $$"""kafka_connect_connector_task_metrics_offset_commit_total{{{source}},outcome="success"}""", v => v >= 1, "the source's offsets committed");

        Assert.Equal(3, await broker.WaitForAsync(
            $"kafka_connect_sink_task_metrics_sink_record_read_total{{{sink}}}", v => v >= 3, "the sink's records read"));
        Assert.Equal(2, await broker.WaitForAsync(
            $"kafka_connect_sink_task_metrics_sink_record_send_total{{{sink}}}", v => v >= 2, "the good records put"));
        await broker.WaitForAsync(
            $$"""kafka_connect_connector_task_metrics_offset_commit_total{{{sink}},outcome="success"}""", v => v >= 1, "the sink's offsets committed");
        foreach (var counted in new[]
                 {
                     "total_record_errors", "total_record_failures", "total_records_skipped", "total_errors_logged", "deadletterqueue_produce_requests",
                 })
        {
            Assert.Equal(1, await broker.WaitForAsync(
                $"kafka_connect_task_error_metrics_{counted}_total{{{sink}}}", v => v >= 1, $"the bad record in {counted}"));
        }

        Assert.Null(await broker.Prometheus.ValueAsync($"kafka_connect_task_error_metrics_deadletterqueue_produce_failures_total{{{sink}}}"));
        Assert.Null(await broker.Prometheus.ValueAsync($"kafka_connect_task_error_metrics_total_record_errors_total{{{source}}}"));

        // A running task counts on its worker until its connector is deleted.
        Assert.Equal(1, await broker.WaitForAsync(
            """kafka_connect_connect_worker_metrics_task_count{connector="metered-source"}""", v => v >= 1, "the source's task running"));
        Assert.Equal(204, (await connect.DeleteAsync("/connectors/metered-source")).Status);
        Assert.Equal(0, await broker.WaitForAsync(
            """kafka_connect_connect_worker_metrics_task_count{connector="metered-source"}""", v => v == 0, "the source's task stopped"));
        Assert.Equal(204, (await connect.DeleteAsync("/connectors/metered-sink")).Status);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
