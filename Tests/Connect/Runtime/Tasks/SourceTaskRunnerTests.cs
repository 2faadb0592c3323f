using System.Collections.Concurrent;
using System.Text;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.File;
using Tributary.Grains.Connect.Runtime.Errors;
using Tributary.Grains.Connect.Runtime.Offsets;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.Connect.Runtime.Transforms;
using Tributary.Grains.Connect.Runtime.Worker;
using TaskStatus = Tributary.Grains.Connect.Runtime.Tasks.TaskStatus;

namespace Tributary.Tests.Connect.Runtime.Tasks;

public sealed class SourceTaskRunnerTests : IDisposable
{
    private const string StringConverter = "org.apache.kafka.connect.storage.StringConverter";

    private readonly TempDirectory _directory = new();
    private readonly InMemoryRecordWriter _writer = new();
    private readonly InMemoryOffsetStore _offsets = new();

    private string File => _directory.File("input.txt");

    private string PartitionKey => OffsetJson.Write(new Dictionary<string, object?> { ["filename"] = File });

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task SourceTaskRunner_WritesEachLine_WithTheConvertersBytes_AndCommitsOffsetsOnStop()
    {
        await System.IO.File.WriteAllTextAsync(File, "alpha\nbeta\n");
        var run = Start();

        await Eventually.True(() => _writer.Written.Count == 2, "two records written");
        Assert.Equal(TaskStatus.Running, run.Runner.Status);
        Assert.Empty(_offsets.Offsets);
        await run.StopAsync();

        Assert.Equal(["alpha", "beta"], _writer.Written.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.All(_writer.Written, r => Assert.Equal("lines", r.Topic));
        Assert.All(_writer.Written, r => Assert.Null(r.Key));
        Assert.Equal("""{"position":11}""", _offsets.Offsets[PartitionKey]);
        Assert.Equal(2, run.Runner.WrittenCount);
        Assert.Equal(["lines"], run.Topics);
        Assert.Equal(["RUNNING", "UNASSIGNED"], run.Statuses.Select(s => s.State));
    }

    [Fact]
    public async Task SourceTaskRunner_RestartedTask_ResumesFromCommittedOffset_WithoutDuplicates()
    {
        await System.IO.File.WriteAllTextAsync(File, "one\ntwo\n");
        var first = Start();
        await Eventually.True(() => _writer.Written.Count == 2, "first run's records");
        await first.StopAsync();

        await System.IO.File.AppendAllTextAsync(File, "three\n");
        var second = Start();
        await Eventually.True(() => _writer.Written.Count >= 3, "second run's record");
        await second.StopAsync();

        Assert.Equal(["one", "two", "three"], _writer.Written.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.Equal("""{"position":14}""", _offsets.Offsets[PartitionKey]);
    }

    [Fact]
    public async Task SourceTaskRunner_RetriableOffsetCommitFailure_KeepsTheTaskRunning_AndTheOffsetsPendingForTheNextFlush()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\nb\n");
        _offsets.FailingCommits = 2;
        var run = Start(flushIntervalMs: 0);

        await Eventually.True(() => _offsets.Offsets.ContainsKey(PartitionKey) && _offsets.Offsets[PartitionKey] == """{"position":4}""", "offsets committed after the failures");
        Assert.Equal(TaskStatus.Running, run.Runner.Status);
        await run.StopAsync();

        Assert.Equal(["a", "b"], _writer.Written.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.True(_offsets.FailingCommits < 0, "both failures were met");
    }

    [Fact]
    public async Task SourceTaskRunner_Paused_StopsPolling_UntilResumed()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\n");
        var run = Start();
        await Eventually.True(() => _writer.Written.Count == 1, "first record");

        run.Runner.Pause();
        Assert.Equal(TaskStatus.Paused, run.Runner.Status);
        Assert.True(run.Runner.IsPaused);
        await Eventually.True(() => run.Task.Finished == run.Task.Started, "the poll in flight to end");
        var polls = run.Task.Started;
        await System.IO.File.AppendAllTextAsync(File, "b\n");
        await Task.Delay(200);

        Assert.Equal(polls, run.Task.Started);
        Assert.Single(_writer.Written);

        run.Runner.Resume();
        Assert.Equal(TaskStatus.Running, run.Runner.Status);
        await Eventually.True(() => _writer.Written.Count == 2, "the record written after resuming");
        await run.StopAsync();

        Assert.Equal(["RUNNING", "PAUSED", "RUNNING", "UNASSIGNED"], run.Statuses.Select(s => s.State));
    }

    [Fact]
    public async Task SourceTaskRunner_TaskFailure_SetsFailed_WithTheTrace()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\n");
        _offsets.Set(PartitionKey, """{"position":"not a number"}""");
        var run = Start();

        await run.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("FAILED", run.Runner.Status.State);
        Assert.Contains("Offset position is the incorrect type", run.Runner.Status.Trace, StringComparison.Ordinal);
        Assert.Contains("ConnectException", run.Runner.Status.Trace, StringComparison.Ordinal);
        Assert.Empty(_writer.Written);
    }

    [Fact]
    public async Task SourceTaskRunner_WriteFailure_SetsFailed_AndCommitsNoOffsetForTheUnwrittenRecords()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\n");
        _writer.FailWith = new IOException("broker unavailable");
        var run = Start();

        await run.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("FAILED", run.Runner.Status.State);
        Assert.Contains("broker unavailable", run.Runner.Status.Trace, StringComparison.Ordinal);
        Assert.Empty(_offsets.Offsets);
    }

    [Fact]
    public async Task SourceTaskRunner_WithAnIntervalOfZero_CommitsOffsetsWhileRunning()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\n");
        var run = Start(flushIntervalMs: 0);

        await Eventually.True(() => _offsets.Offsets.ContainsKey(PartitionKey), "offsets committed while running");
        Assert.Equal("""{"position":2}""", _offsets.Offsets[PartitionKey]);
        Assert.Equal(TaskStatus.Running, run.Runner.Status);
        await run.StopAsync();
    }

    [Fact]
    public async Task SourceTaskRunner_AppliesTransforms_OnlyWhereTheirPredicateHolds()
    {
        await System.IO.File.WriteAllTextAsync(File, "keep\ndrop\n");
        var run = Start(extra: new()
        {
            ["transforms"] = "suffix,drop",
            ["transforms.suffix.type"] = "AppendSuffix",
            ["transforms.suffix.suffix"] = "!",
            ["transforms.drop.type"] = "DropAll",
            ["transforms.drop.predicate"] = "never",
            ["predicates"] = "never",
            ["predicates.never.type"] = "TopicIs",
            ["predicates.never.topic"] = "other",
        });

        await Eventually.True(() => _writer.Written.Count == 2, "both records written");
        await run.StopAsync();

        Assert.Equal(["keep!", "drop!"], _writer.Written.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.Equal("""{"position":10}""", _offsets.Offsets[PartitionKey]);
    }

    [Fact]
    public async Task SourceTaskRunner_DroppedRecords_AreNotWritten_ButTheirOffsetIsCommitted()
    {
        await System.IO.File.WriteAllTextAsync(File, "x\ny\n");
        var run = Start(extra: new() { ["transforms"] = "drop", ["transforms.drop.type"] = "DropAll" });

        await Eventually.True(() => _offsets.CommitCount > 0 || run.Task.Started > 1, "the lines polled");
        await run.StopAsync();

        Assert.Empty(_writer.Written);
        Assert.Equal("""{"position":4}""", _offsets.Offsets[PartitionKey]);
    }

    [Fact]
    public async Task SourceTaskRunner_ATransformFailingRetriably_IsTriedAgain_AndEveryRecordWrittenInOrder()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\nb\nc\n");
        var run = Start(extra: FailOnB(new() { ["transforms.fail.retriable.failures"] = "2", ["errors.retry.timeout"] = "30000", ["errors.retry.delay.max.ms"] = "10" }));

        await Eventually.True(() => _writer.Written.Count == 3, "every record written");
        await run.StopAsync();

        Assert.Equal(["a", "b", "c"], _writer.Written.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.Equal("""{"position":6}""", _offsets.Offsets[PartitionKey]);
    }

    [Fact]
    public async Task SourceTaskRunner_WithToleranceAll_ARecordATransformFailsOn_IsSkipped_ButItsOffsetCommitted()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\nb\nc\n");
        var run = Start(extra: FailOnB(new() { ["errors.tolerance"] = "all" }));

        await Eventually.True(() => _writer.Written.Count == 2, "the other records written");
        await run.StopAsync();

        Assert.Equal(["a", "c"], _writer.Written.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.Equal("""{"position":6}""", _offsets.Offsets[PartitionKey]);
    }

    [Fact]
    public async Task SourceTaskRunner_WithoutTolerance_AValueTheConverterCannotWrite_FailsTheTask_WithItsTrace()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\n");
        var run = Start(extra: new() { ["value.converter"] = "org.apache.kafka.connect.converters.ByteArrayConverter" });

        await run.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("FAILED", run.Runner.Status.State);
        Assert.Contains("Tolerance exceeded in error handler", run.Runner.Status.Trace, StringComparison.Ordinal);
        Assert.Contains("Invalid schema type for ByteArrayConverter: STRING", run.Runner.Status.Trace, StringComparison.Ordinal);
        Assert.Empty(_writer.Written);
    }

    [Fact]
    public async Task SourceTaskRunner_WithToleranceAll_ValuesTheConverterCannotWrite_AreSkipped_ButTheirOffsetsCommitted()
    {
        await System.IO.File.WriteAllTextAsync(File, "x\ny\n");
        var run = Start(extra: new() { ["value.converter"] = "org.apache.kafka.connect.converters.ByteArrayConverter", ["errors.tolerance"] = "all" });

        await Eventually.True(() => _offsets.CommitCount > 0 || run.Task.Started > 1, "the lines polled");
        await run.StopAsync();

        Assert.Empty(_writer.Written);
        Assert.Equal("""{"position":4}""", _offsets.Offsets[PartitionKey]);
    }

    [Fact]
    public async Task SourceTaskRunner_TellsATaskThatCommitsRecords_WhereEachLanded_AndThatASkippedOneDidNot()
    {
        await System.IO.File.WriteAllTextAsync(File, "a\nb\nc\n");
        var run = Start(extra: FailOnB(new() { ["errors.tolerance"] = "all" }));

        await Eventually.True(() => run.Task.Committed.Count == 3, "every record committed to the task");
        await run.StopAsync();

        var committed = run.Task.Committed.ToDictionary(c => c.Value, c => c.Offset);
        Assert.Equal(0L, committed["a"]);
        Assert.Null(committed["b"]); // skipped under errors.tolerance=all: no metadata
        Assert.Equal(1L, committed["c"]);
        Assert.Equal(["a", "c"], _writer.Written.Select(r => Encoding.UTF8.GetString(r.Value!)));
    }

    // A transform that fails on the value "b", with the test's error handling settings.
    private static Dictionary<string, string> FailOnB(Dictionary<string, string> settings)
    {
        settings["transforms"] = "fail";
        settings["transforms.fail.type"] = "FailOnValue";
        settings["transforms.fail.value"] = "b";
        return settings;
    }

    private Run Start(long flushIntervalMs = 60_000, Dictionary<string, string>? extra = null)
    {
        var config = new Dictionary<string, string>
        {
            ["name"] = "file-source",
            ["connector.class"] = "FileStreamSource",
            ["file"] = File,
            ["topic"] = "lines",
        };
        foreach (var (key, value) in extra ?? [])
        {
            config[key] = value;
        }

        var worker = new WorkerConfig("worker-1", KeyConverter: StringConverter, ValueConverter: StringConverter, OffsetFlushIntervalMs: flushIntervalMs);
        var task = new CountingSourceTask(new FileStreamSourceTask(initialBufferSize: 64, idleWait: TimeSpan.FromMilliseconds(20)));
        var statuses = new ConcurrentQueue<TaskStatus>();
        var topics = new ConcurrentQueue<string>();
        var runner = new SourceTaskRunner(
            task, config, TaskConverters.Create(TestPlugins.Registry, worker, config),
            TransformationChain<SourceRecord>.Build(TestPlugins.Registry, config),
            new RetryWithTolerance(ErrorHandlingConfig.From(config), TimeProvider.System),
            _writer, _offsets, worker, TimeProvider.System, statuses.Enqueue, topics.Enqueue);
        var stop = new CancellationTokenSource();
        return new Run(runner, task, statuses, topics, stop, runner.RunAsync(stop.Token));
    }

    private sealed record Run(
        SourceTaskRunner Runner, CountingSourceTask Task, ConcurrentQueue<TaskStatus> Statuses, ConcurrentQueue<string> Topics,
        CancellationTokenSource Stop, Task Completion)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            await Completion.WaitAsync(TimeSpan.FromSeconds(15));
            Stop.Dispose();
        }
    }

    /// <summary>The real task, with its polls counted so that a test can tell when none is in flight.</summary>
    private sealed class CountingSourceTask(SourceTask inner) : SourceTask
    {
        private readonly ConcurrentQueue<(string Value, long? Offset)> _committed = new();
        private int _started;
        private int _finished;

        public int Started => Volatile.Read(ref _started);

        public int Finished => Volatile.Read(ref _finished);

        public override string Version => inner.Version;

        public override void Initialize(ISourceTaskContext context)
        {
            base.Initialize(context);
            inner.Initialize(context);
        }

        public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken) =>
            inner.StartAsync(properties, cancellationToken);

        public override async Task<IReadOnlyList<SourceRecord>?> PollAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            try
            {
                return await inner.PollAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Increment(ref _finished);
            }
        }

        public override Task CommitAsync(CancellationToken cancellationToken) => inner.CommitAsync(cancellationToken);

        /// <summary>Each record the runner committed to the task, with the offset it landed at (null when it was not written).</summary>
        public IReadOnlyCollection<(string Value, long? Offset)> Committed => _committed;

        public override Task CommitRecordAsync(SourceRecord record, RecordMetadata? metadata, CancellationToken cancellationToken)
        {
            _committed.Enqueue(((string)record.Value!, metadata?.Offset));
            return inner.CommitRecordAsync(record, metadata, cancellationToken);
        }

        public override Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);
    }
}
