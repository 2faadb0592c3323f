using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.File;

namespace Tributary.Tests.Connect.File;

public sealed class FileStreamSinkTaskTests : IDisposable
{
    private static readonly string NewLine = Environment.NewLine;

    private readonly TempDirectory _directory = new();
    private readonly string _path;

    public FileStreamSinkTaskTests() => _path = _directory.File("connect.output");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Each_record_value_becomes_a_line_of_the_file_once_flushed()
    {
        var task = await StartAsync();

        await task.PutAsync([Record("topic1", "line1", 1)], CancellationToken.None);
        await task.FlushAsync(Offsets(("topic1", 1)), CancellationToken.None);
        Assert.Equal("line1" + NewLine, await ReadAsync());

        await task.PutAsync([Record("topic1", "line2", 2), Record("topic2", "line3", 1)], CancellationToken.None);
        await task.FlushAsync(Offsets(("topic1", 2), ("topic2", 1)), CancellationToken.None);
        Assert.Equal("line1" + NewLine + "line2" + NewLine + "line3" + NewLine, await ReadAsync());
        await task.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Flushed_lines_can_be_read_while_the_task_keeps_the_file_open()
    {
        var task = await StartAsync();
        await task.PutAsync([Record("topic1", "line0", 1)], CancellationToken.None);
        await task.FlushAsync(Offsets(("topic1", 1)), CancellationToken.None);

        using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.Equal("line0", await reader.ReadLineAsync());
        await task.PutAsync([Record("topic1", "line1", 2), Record("topic2", "line2", 1)], CancellationToken.None);
        await task.FlushAsync(Offsets(("topic1", 2), ("topic2", 1)), CancellationToken.None);
        Assert.Equal("line1", await reader.ReadLineAsync());
        Assert.Equal("line2", await reader.ReadLineAsync());
        await task.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Lines_are_appended_to_an_existing_file()
    {
        await System.IO.File.WriteAllTextAsync(_path, "earlier" + NewLine);
        var task = await StartAsync();

        await task.PutAsync([Record("topic1", "later", 1)], CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        Assert.Equal("earlier" + NewLine + "later" + NewLine, await ReadAsync());
    }

    [Fact]
    public async Task Values_are_printed_the_way_java_prints_them()
    {
        var task = await StartAsync();

        await task.PutAsync(
            [
                Record("t", null, 1),
                Record("t", 42, 2),
                Record("t", true, 3),
                Record("t", new Dictionary<string, object?> { ["a"] = 1 }, 4),
                Record("t", new List<object?> { 1, 2 }, 5),
                Record("t", "héllo", 6),
            ],
            CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        Assert.Equal(string.Join(NewLine, "null", "42", "true", "{a=1}", "[1, 2]", "héllo") + NewLine, await ReadAsync());
    }

    [Fact]
    public async Task A_struct_prints_its_set_fields_including_nested_maps()
    {
        var schema = SchemaBuilder.Struct()
            .Field("name", Schema.String)
            .Field("tags", SchemaBuilder.Map(Schema.String, Schema.Int32).Build())
            .Field("note", Schema.OptionalString)
            .Build();
        var value = new Struct(schema).Put("name", "ann").Put("tags", new Dictionary<string, int> { ["x"] = 1 });
        var task = await StartAsync();

        await task.PutAsync([new SinkRecord("t", 0, null, null, schema, value, 1)], CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        Assert.Equal("Struct{name=ann,tags={x=1}}" + NewLine, await ReadAsync());
    }

    [Fact]
    public async Task Stopping_writes_out_what_was_not_flushed_yet()
    {
        var task = await StartAsync();

        await task.PutAsync([Record("topic1", "unflushed", 1)], CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        Assert.Equal("unflushed" + NewLine, await ReadAsync());
    }

    [Fact]
    public async Task A_file_that_cannot_be_created_fails_the_start()
    {
        var task = new FileStreamSinkTask();
        var path = _directory.File("missing/dir/out.txt");

        var error = await Assert.ThrowsAsync<ConnectException>(
            () => task.StartAsync(new Dictionary<string, string> { ["file"] = path }, CancellationToken.None));

        Assert.Equal($"Couldn't find or create file '{path}' for FileStreamSinkTask", error.Message);
    }

    private async Task<FileStreamSinkTask> StartAsync()
    {
        var config = new Dictionary<string, string> { ["topics"] = "topic1,topic2", ["file"] = _path };
        var task = new FileStreamSinkTask();
        task.Initialize(new FakeSinkTaskContext(config));
        await task.StartAsync(config, CancellationToken.None);
        return task;
    }

    private async Task<string> ReadAsync()
    {
        // Read with sharing, since the task may still hold the file open for appending.
        using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return await reader.ReadToEndAsync();
    }

    private static SinkRecord Record(string topic, object? value, long offset) =>
        new(topic, 0, null, null, value is string ? Schema.String : null, value, offset);

    private static Dictionary<TopicPartition, long> Offsets(params (string Topic, long Offset)[] offsets) =>
        offsets.ToDictionary(o => new TopicPartition(o.Topic, 0), o => o.Offset);
}
