using System.Diagnostics;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.File;

namespace Tributary.Tests.Connect.File;

public sealed class FileStreamSourceTaskTests : IDisposable
{
    private const string Topic = "test";
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(20);

    private readonly TempDirectory _directory = new();
    private readonly FakeOffsetStorageReader _offsets = new();
    private readonly string _path;

    public FileStreamSourceTaskTests() => _path = _directory.File("source.txt");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Lines_are_read_in_order_as_string_records_with_the_byte_position_after_each_line()
    {
        await AppendAsync("alpha\nbeta\n");
        var task = await StartAsync();

        var records = await PollAsync(task);

        Assert.Equal(["alpha", "beta"], Values(records));
        Assert.All(records!, r =>
        {
            Assert.Equal(Topic, r.Topic);
            Assert.Same(Schema.String, r.ValueSchema);
            Assert.Null(r.Key);
            Assert.Equal(new Dictionary<string, object?> { ["filename"] = _path }, r.SourcePartition);
        });
        Assert.Equal([6L, 11L], Positions(records));
    }

    [Fact]
    public async Task A_partial_line_waits_for_its_newline_and_every_kind_of_line_ending_is_understood()
    {
        await System.IO.File.WriteAllTextAsync(_path, "");
        var task = await StartAsync();

        Assert.Null(await PollAsync(task));
        await AppendAsync("partial line");
        Assert.Null(await PollAsync(task));
        await AppendAsync(" finished\n");
        var records = await PollAsync(task);
        Assert.Equal(["partial line finished"], Values(records));
        Assert.Equal([22L], Positions(records));
        Assert.Null(await PollAsync(task));

        // The final \r yields no line until the next byte shows it is not the start of \r\n.
        await AppendAsync("line1\rline2\r\nline3\nline4\n\r");
        records = await PollAsync(task);
        Assert.Equal(["line1", "line2", "line3", "line4"], Values(records));
        Assert.Equal([28L, 35L, 41L, 47L], Positions(records));

        await AppendAsync("subsequent text");
        records = await PollAsync(task);
        Assert.Equal([""], Values(records));
        Assert.Equal([48L], Positions(records));
        await task.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Positions_count_utf8_bytes_so_a_restart_resumes_exactly_after_multibyte_text()
    {
        await AppendAsync("héllo wörld\n€uro\n");
        var first = await StartAsync();
        var records = await PollAsync(first);
        Assert.Equal(["héllo wörld", "€uro"], Values(records));
        Assert.Equal([14L, 21L], Positions(records));
        await first.StopAsync(CancellationToken.None);

        _offsets.Store(_path, 14L);
        var second = await StartAsync();
        Assert.Equal(["€uro"], Values(await PollAsync(second)));
    }

    [Fact]
    public async Task A_restarted_task_resumes_from_the_stored_offset_and_reads_only_new_lines()
    {
        await AppendAsync("one\ntwo\n");
        var first = await StartAsync();
        var records = await PollAsync(first);
        Assert.Equal(["one", "two"], Values(records));
        _offsets.Store(_path, records![^1].SourceOffset!["position"]);
        await first.StopAsync(CancellationToken.None);

        await AppendAsync("three\n");
        var second = await StartAsync();
        records = await PollAsync(second);

        Assert.Equal(["three"], Values(records));
        Assert.Equal([14L], Positions(records));
    }

    [Fact]
    public async Task A_stored_position_of_another_integral_type_is_used_too()
    {
        await AppendAsync("one\ntwo\n");
        _offsets.Store(_path, 4);
        var task = await StartAsync();

        Assert.Equal(["two"], Values(await PollAsync(task)));
    }

    [Theory]
    [InlineData("4")]
    [InlineData(4.0)]
    public async Task A_stored_position_that_is_not_an_integer_fails_the_task(object position)
    {
        await AppendAsync("one\n");
        _offsets.Store(_path, position);
        var task = await StartAsync();

        var error = await Assert.ThrowsAsync<ConnectException>(() => PollAsync(task));
        Assert.Equal("Offset position is the incorrect type", error.Message);
    }

    [Fact]
    public async Task A_stored_offset_without_a_position_starts_from_the_beginning()
    {
        await AppendAsync("one\n");
        _offsets.Store(_path, null);
        var task = await StartAsync();

        var records = await PollAsync(task);
        Assert.Equal([4L], Positions(records));
    }

    [Fact]
    public async Task A_poll_returns_at_most_batch_size_records_and_the_rest_come_next()
    {
        await AppendAsync("1\n2\n3\n4\n5\n");
        var task = await StartAsync(batchSize: 2);

        Assert.Equal(["1", "2"], Values(await PollAsync(task)));
        Assert.Equal(["3", "4"], Values(await PollAsync(task)));
        Assert.Equal(["5"], Values(await PollAsync(task)));
        Assert.Null(await PollAsync(task));
    }

    [Fact]
    public async Task Batch_size_defaults_to_2000()
    {
        await AppendAsync(string.Concat(Enumerable.Repeat("line\n", 2500)));
        var task = await StartAsync(batchSize: null);

        Assert.Equal(2000, (await PollAsync(task))!.Count);
        Assert.Equal(500, (await PollAsync(task))!.Count);
    }

    [Fact]
    public async Task Ten_thousand_lines_arrive_in_two_full_batches_with_a_buffer_sized_to_the_line()
    {
        const string line = "Neque porro quisquam est qui dolorem ipsum quia dolor sit amet, consectetur, adipisci velit...\n";
        await AppendAsync(string.Concat(Enumerable.Repeat(line, 10_000)));
        var task = await StartAsync(batchSize: 5000, initialBufferSize: 2);

        var first = await PollAsync(task);
        Assert.Equal(5000, first!.Count);
        Assert.Equal(128, task.BufferSize);
        var second = await PollAsync(task);
        Assert.Equal(5000, second!.Count);
        Assert.Equal(10_000L * line.Length, Positions(second)[^1]);
    }

    [Fact]
    public async Task The_buffer_grows_only_when_a_single_line_does_not_fit()
    {
        var task = await StartAsync(batchSize: 10, initialBufferSize: 2);
        (string Line, int BufferSize)[] steps =
        [
            ("1", 2), ("3 ", 4), ("7     ", 8), ("8      ", 8), ("9       ", 16), (new string('*', 1024), 2048), ("9       ", 2048),
        ];

        foreach (var (line, bufferSize) in steps)
        {
            await AppendAsync(string.Concat(Enumerable.Repeat(line + "\n", 10)));
            var records = await PollAsync(task);
            Assert.Equal(Enumerable.Repeat(line, 10), Values(records));
            Assert.Equal(bufferSize, task.BufferSize);
        }
    }

    [Fact]
    public async Task A_missing_file_yields_nothing_until_it_is_created_and_only_then_are_offsets_looked_up()
    {
        var task = await StartAsync();

        Assert.Null(await PollAsync(task));
        Assert.Null(await PollAsync(task));
        Assert.Equal(0, _offsets.Lookups);

        await AppendAsync("finally\n");
        Assert.Equal(["finally"], Values(await PollAsync(task)));
        Assert.Equal(1, _offsets.Lookups);
    }

    [Fact]
    public async Task Polling_at_the_end_of_the_file_waits_before_returning_nothing()
    {
        await AppendAsync("done\n");
        var task = await StartAsync(idleWait: TimeSpan.FromMilliseconds(200));
        await PollAsync(task);

        var clock = Stopwatch.StartNew();
        Assert.Null(await PollAsync(task));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(180), $"returned after {clock.Elapsed}");
    }

    [Fact]
    public async Task Stopping_the_task_ends_a_waiting_poll_at_once()
    {
        await AppendAsync("done\n");
        var task = await StartAsync(idleWait: TimeSpan.FromMinutes(5));
        await PollAsync(task);

        var waiting = PollAsync(task);
        await task.StopAsync(CancellationToken.None);

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await PollAsync(task));
    }

    [Fact]
    public async Task Cancelling_a_waiting_poll_ends_it_with_cancellation()
    {
        var task = await StartAsync(idleWait: TimeSpan.FromMinutes(5));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.PollAsync(cancellation.Token).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Standard_input_is_refused_with_a_configuration_error_on_file()
    {
        var task = new FileStreamSourceTask();

        var error = await Assert.ThrowsAsync<ConfigException>(() => task.StartAsync(new Dictionary<string, string> { ["topic"] = Topic }, CancellationToken.None));

        Assert.Equal("file", error.Name);
        Assert.Contains("standard input is not supported", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<FileStreamSourceTask> StartAsync(int? batchSize = null, int initialBufferSize = 1024, TimeSpan? idleWait = null)
    {
        var config = new Dictionary<string, string> { ["file"] = _path, ["topic"] = Topic };
        if (batchSize is { } size)
        {
            config["batch.size"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var task = new FileStreamSourceTask(initialBufferSize, idleWait ?? IdleWait);
        task.Initialize(new FakeSourceTaskContext(config, _offsets));
        await task.StartAsync(config, CancellationToken.None);
        return task;
    }

    private static async Task<IReadOnlyList<SourceRecord>?> PollAsync(FileStreamSourceTask task)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await task.PollAsync(timeout.Token);
    }

    private Task AppendAsync(string text) => System.IO.File.AppendAllTextAsync(_path, text);

    private static string[] Values(IReadOnlyList<SourceRecord>? records) => [.. (records ?? []).Select(r => (string)r.Value!)];

    private static long[] Positions(IReadOnlyList<SourceRecord>? records) => [.. (records ?? []).Select(r => (long)r.SourceOffset!["position"]!)];
}
