using System.Collections.Concurrent;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.File;
using Tributary.Grains.Connect.Runtime.Errors;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.Connect.Runtime.Transforms;
using Tributary.Grains.Connect.Runtime.Worker;
using TaskStatus = Tributary.Grains.Connect.Runtime.Tasks.TaskStatus;

namespace Tributary.Tests.Connect.Runtime.Tasks;

public sealed class SinkTaskRunnerTests : IDisposable
{
    private const string StringConverter = "org.apache.kafka.connect.storage.StringConverter";
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);

    private readonly TempDirectory _directory = new();

    private string File => _directory.File("output.txt");

    public void Dispose() => _directory.Dispose();

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + Environment.NewLine));

    [Fact]
    public async Task SinkTaskRunner_PutsRecordsInOrder_AndCommitsTheNextOffsetOnStop()
    {
        var reader = new InMemoryRecordReader { MaxPerRead = 2 };
        reader.Append(P0, "a", "b", "c");
        var run = Start(reader, [P0]);

        await Eventually.True(() => run.Runner.PutCount == 3, "three records put");
        Assert.DoesNotContain(reader.Committed, c => c.Value > 0);
        await run.StopAsync();

        Assert.Equal(Lines("a", "b", "c"), await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(3L, reader.Committed[P0]);
        Assert.Equal(["RUNNING", "UNASSIGNED"], run.Statuses.Select(s => s.State));
    }

    [Fact]
    public async Task SinkTaskRunner_StartsFromTheCommittedOffset()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a", "b", "c");
        reader.Commit(P0, 1);
        var run = Start(reader, [P0]);

        await Eventually.True(() => run.Runner.PutCount == 2, "the records after the committed offset");
        await run.StopAsync();

        Assert.Equal(Lines("b", "c"), await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(3L, reader.Committed[P0]);
    }

    [Fact]
    public async Task SinkTaskRunner_WithAnIntervalOfZero_CommitsEachPartitionsNextOffset_WhileRunning()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a", "b");
        reader.Append(P1, "x");
        var run = Start(reader, [P0, P1], flushIntervalMs: 0);

        await Eventually.True(() => reader.Committed.GetValueOrDefault(P0) == 2 && reader.Committed.GetValueOrDefault(P1) == 1, "offsets committed");
        Assert.Equal(TaskStatus.Running, run.Runner.Status);

        // preCommit flushed the file before the offsets were committed.
        var text = await System.IO.File.ReadAllTextAsync(File);
        Assert.Contains("a" + Environment.NewLine + "b" + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Contains("x" + Environment.NewLine, text, StringComparison.Ordinal);
        await run.StopAsync();
    }

    [Fact]
    public async Task SinkTaskRunner_RidesOutRetriableReadAndCommitFailures_AsAConsumerRidesOutADeadBroker()
    {
        var reader = new InMemoryRecordReader { MaxPerRead = 1, FailingStarts = 1, FailingReads = 3, FailingCommits = 2 };
        reader.Append(P0, "a", "b", "c");
        var run = Start(reader, [P0], flushIntervalMs: 0);

        await Eventually.True(() => reader.Committed.GetValueOrDefault(P0) == 3, "every offset committed after the failed commits");
        Assert.Equal(TaskStatus.Running, run.Runner.Status);
        await run.StopAsync();

        Assert.Equal(Lines("a", "b", "c"), await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(["RUNNING", "UNASSIGNED"], run.Statuses.Select(s => s.State));
        Assert.True(reader.FailingStarts < 0 && reader.FailingReads < 0 && reader.FailingCommits < 0, "every failure was met");
    }

    [Fact]
    public async Task SinkTaskRunner_RetriableException_RedeliversTheSameBatch()
    {
        var reader = new InMemoryRecordReader { MaxPerRead = 2 };
        reader.Append(P0, "a", "b", "c");
        var task = new FlakySinkTask(new FileStreamSinkTask()) { RetriableFailures = 1 };
        var run = Start(reader, [P0], task);

        await Eventually.True(() => run.Runner.PutCount == 3, "every record put");
        await run.StopAsync();

        Assert.Equal([[0L, 1L], [0L, 1L], [2L]], task.Batches);
        Assert.Equal(Lines("a", "b", "c"), await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(3L, reader.Committed[P0]);
    }

    [Fact]
    public async Task SinkTaskRunner_AnOffsetAskedForDuringAPut_IsWhereTheNextPutStarts()
    {
        // The next records are read while a batch is put: those read ahead of a position the task moves are not put.
        var reader = new InMemoryRecordReader { MaxPerRead = 2 };
        reader.Append(P0, "a", "b", "c", "d", "e", "f");
        var task = new FlakySinkTask(new FileStreamSinkTask()) { OnFirstPut = context => context.Offset(P0, 4) };
        var run = Start(reader, [P0], task);

        await Eventually.True(() => run.Runner.PutCount == 4, "the first batch and the records from offset 4");
        await run.StopAsync();

        Assert.Equal([[0L, 1L], [4L, 5L]], task.Batches);
        Assert.Equal(Lines("a", "b", "e", "f"), await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(6L, reader.Committed[P0]);
    }

    [Fact]
    public async Task SinkTaskRunner_APartitionPausedDuringAPut_GetsNoRecordsPut_UntilResumed()
    {
        // The first batch is P0's two records; the read ahead during its put (given time to happen) is P1's.
        var reader = new InMemoryRecordReader { MaxPerRead = 2 };
        reader.Append(P0, "a", "b");
        reader.Append(P1, "x", "y", "z");
        ISinkTaskContext? context = null;
        var task = new FlakySinkTask(new FileStreamSinkTask())
        {
            OnFirstPut = c =>
            {
                Thread.Sleep(200);
                context = c;
                c.Pause(P1);
            },
        };
        var run = Start(reader, [P0, P1], task);

        await Eventually.True(() => task.PutCalls > 10, "puts after the pause");
        Assert.Equal([[0L, 1L]], task.Batches);

        context!.Resume(P1);
        await Eventually.True(() => run.Runner.PutCount == 5, "the paused partition's records after its resume");
        await run.StopAsync();
        Assert.Equal(Lines("a", "b", "x", "y", "z"), await System.IO.File.ReadAllTextAsync(File));
    }

    [Fact]
    public async Task SinkTaskRunner_PutFailure_SetsFailed_WithTheTrace_AndCommitsNothingPastIt()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a");
        var task = new FlakySinkTask(new FileStreamSinkTask()) { FailWith = new ConnectException("disk full") };
        var run = Start(reader, [P0], task);

        await run.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("FAILED", run.Runner.Status.State);
        Assert.Contains("disk full", run.Runner.Status.Trace, StringComparison.Ordinal);
        Assert.Equal(0L, reader.Committed.GetValueOrDefault(P0));
    }

    [Fact]
    public async Task SinkTaskRunner_TransformThatDrops_SkipsTheRecord_ButCommitsPastIt()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a", "b");
        var run = Start(reader, [P0], extra: new() { ["transforms"] = "drop", ["transforms.drop.type"] = "DropAll" });

        await Eventually.True(() => run.Task.PutCalls > 1, "the records read");
        await run.StopAsync();

        Assert.Equal("", await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(2L, reader.Committed[P0]);
    }

    [Fact]
    public async Task SinkTaskRunner_ATransformFailingRetriably_IsTriedAgain_AndItsRecordPutInOrder()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a", "b", "c");
        var run = Start(reader, [P0], extra: FailOnB(new() { ["transforms.fail.retriable.failures"] = "2", ["errors.retry.timeout"] = "30000", ["errors.retry.delay.max.ms"] = "10" }));

        await Eventually.True(() => run.Runner.PutCount == 3, "every record put");
        await run.StopAsync();

        Assert.Equal(Lines("a", "b", "c"), await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(3L, reader.Committed[P0]);
    }

    [Fact]
    public async Task SinkTaskRunner_ARecordWhoseTransformIsRetried_IsNotConvertedAgain()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a", "b", "c");
        var run = Start(reader, [P0], extra: new()
        {
            ["value.converter"] = "NumberingConverter",
            ["transforms"] = "fail",
            ["transforms.fail.type"] = "FailOnValue",
            ["transforms.fail.value"] = "b#2",
            ["transforms.fail.retriable.failures"] = "1",
            ["errors.retry.timeout"] = "30000",
        });

        await Eventually.True(() => run.Runner.PutCount == 3, "every record put");
        await run.StopAsync();

        // Converted again for the retry, "b" would have been read as "b#3" and "c" as "c#4".
        Assert.Equal(Lines("a#1", "b#2", "c#3"), await System.IO.File.ReadAllTextAsync(File));
    }

    [Fact]
    public async Task SinkTaskRunner_WithoutRetriesOrTolerance_ATransformFailure_FailsTheTask_WithItsTrace_AndCommitsNothingPastIt()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a", "b", "c");
        var run = Start(reader, [P0], extra: FailOnB(new() { ["transforms.fail.retriable.failures"] = "1" }));

        await run.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("FAILED", run.Runner.Status.State);
        Assert.Contains("Tolerance exceeded in error handler", run.Runner.Status.Trace, StringComparison.Ordinal);
        Assert.Contains("not yet: b", run.Runner.Status.Trace, StringComparison.Ordinal);
        Assert.Equal(0L, reader.Committed.GetValueOrDefault(P0));
    }

    [Fact]
    public async Task SinkTaskRunner_WithToleranceAll_ARecordATransformFailsOn_IsSkipped_AndTheOthersPut()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a", "b", "c");
        var run = Start(reader, [P0], extra: FailOnB(new() { ["errors.tolerance"] = "all" }));

        await Eventually.True(() => run.Runner.PutCount == 2, "the other records put");
        await run.StopAsync();

        Assert.Equal(Lines("a", "c"), await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(3L, reader.Committed[P0]);
    }

    [Fact]
    public async Task SinkTaskRunner_WithToleranceAll_ARecordTheValueConverterCannotRead_IsSkipped_AndTheOthersPut()
    {
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "1", "{not json", "2");
        var run = Start(reader, [P0], extra: new()
        {
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["value.converter.schemas.enable"] = "false",
            ["errors.tolerance"] = "all",
        });

        await Eventually.True(() => run.Runner.PutCount == 2, "the readable records put");
        await run.StopAsync();

        Assert.Equal(Lines("1", "2"), await System.IO.File.ReadAllTextAsync(File));
        Assert.Equal(3L, reader.Committed[P0]);
    }

    [Fact]
    public async Task SinkTaskRunner_ARecordOfThePreviousBatch_ReportedDuringAPut_ReachesTheReporters()
    {
        // A task may still be writing one batch while the next is put (the JDBC sink does), and report its records then.
        var reader = new InMemoryRecordReader();
        reader.Append(P0, "a");
        var reported = new ConcurrentQueue<ErrorContext>();
        var config = new Dictionary<string, string> { ["name"] = "late-reports", ["topics"] = "t", ["errors.tolerance"] = "all" };
        var worker = new WorkerConfig("worker-1", KeyConverter: StringConverter, ValueConverter: StringConverter);
        var runner = new SinkTaskRunner(
            new ReportsThePreviousBatchTask(), config, [P0], TaskConverters.Create(TestPlugins.Registry, worker, config),
            TransformationChain<SinkRecord>.Build(TestPlugins.Registry, config),
            new RetryWithTolerance(ErrorHandlingConfig.From(config), TimeProvider.System),
            reader, worker, TimeProvider.System, _ => { }, [new RecordingErrorReporter(reported)]);
        using var stop = new CancellationTokenSource();
        var completion = runner.RunAsync(stop.Token);

        await Eventually.True(() => runner.PutCount == 1, "the first batch put");
        reader.Append(P0, "b");
        await Eventually.True(() => runner.PutCount == 2, "the second batch put");
        await stop.CancelAsync();
        await completion.WaitAsync(TimeSpan.FromSeconds(15));

        var report = Assert.Single(reported);
        Assert.Equal(0L, report.Consumed?.Offset);
        Assert.Contains("refused late", report.Failure.Error.Message, StringComparison.Ordinal);
    }

    // A transform that fails on the value "b", with the test's error handling settings.
    private static Dictionary<string, string> FailOnB(Dictionary<string, string> settings)
    {
        settings["transforms"] = "fail";
        settings["transforms.fail.type"] = "FailOnValue";
        settings["transforms.fail.value"] = "b";
        return settings;
    }

    private Run Start(
        InMemoryRecordReader reader, IReadOnlyCollection<TopicPartition> assignment, FlakySinkTask? task = null, long flushIntervalMs = 60_000,
        Dictionary<string, string>? extra = null)
    {
        var config = new Dictionary<string, string>
        {
            ["name"] = "file-sink",
            ["connector.class"] = "FileStreamSink",
            ["file"] = File,
            ["topics"] = "t",
        };
        foreach (var (key, value) in extra ?? [])
        {
            config[key] = value;
        }

        task ??= new FlakySinkTask(new FileStreamSinkTask());
        var worker = new WorkerConfig("worker-1", KeyConverter: StringConverter, ValueConverter: StringConverter, OffsetFlushIntervalMs: flushIntervalMs);
        var statuses = new ConcurrentQueue<TaskStatus>();
        var runner = new SinkTaskRunner(
            task, config, assignment, TaskConverters.Create(TestPlugins.Registry, worker, config),
            TransformationChain<SinkRecord>.Build(TestPlugins.Registry, config),
            new RetryWithTolerance(ErrorHandlingConfig.From(config), TimeProvider.System),
            reader, worker, TimeProvider.System, statuses.Enqueue);
        var stop = new CancellationTokenSource();
        return new Run(runner, task, statuses, stop, runner.RunAsync(stop.Token));
    }

    private sealed record Run(SinkTaskRunner Runner, FlakySinkTask Task, ConcurrentQueue<TaskStatus> Statuses, CancellationTokenSource Stop, Task Completion)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            await Completion.WaitAsync(TimeSpan.FromSeconds(15));
            Stop.Dispose();
        }
    }

    /// <summary>Reports the first record of each batch during the next put of records.</summary>
    private sealed class ReportsThePreviousBatchTask : SinkTask
    {
        private SinkRecord? _previous;

        public override string Version => "1";

        public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken) => Task.CompletedTask;

        public override async Task PutAsync(IReadOnlyCollection<SinkRecord> records, CancellationToken cancellationToken)
        {
            if (records.Count == 0)
            {
                return;
            }

            if (_previous is { } previous)
            {
                await Context.ErrantRecordReporter!.ReportAsync(previous, new ConnectException("refused late"));
            }

            _previous = records.First();
        }

        public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class RecordingErrorReporter(ConcurrentQueue<ErrorContext> reported) : IErrorReporter
    {
        public Task ReportAsync(ErrorContext context, CancellationToken cancellationToken)
        {
            reported.Enqueue(context);
            return Task.CompletedTask;
        }
    }

    /// <summary>The real sink task behind a door that can fail puts: retriably a number of times, or for good.</summary>
    private sealed class FlakySinkTask(SinkTask inner) : SinkTask
    {
        private readonly ConcurrentQueue<long[]> _batches = new();
        private readonly ConcurrentQueue<SinkRecord> _records = new();
        private int _putCalls;

        /// <summary>Called with the task's context in the first put of records, before it returns.</summary>
        public Action<ISinkTaskContext>? OnFirstPut { get; init; }

        public IReadOnlyList<SinkRecord> Records => [.. _records];

        public int RetriableFailures { get; set; }

        public Exception? FailWith { get; init; }

        public IReadOnlyList<long[]> Batches => [.. _batches];

        public int PutCalls => Volatile.Read(ref _putCalls);

        public override string Version => inner.Version;

        public override void Initialize(ISinkTaskContext context)
        {
            base.Initialize(context);
            inner.Initialize(context);
        }

        public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken) =>
            inner.StartAsync(properties, cancellationToken);

        public override Task PutAsync(IReadOnlyCollection<SinkRecord> records, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _putCalls);
            if (records.Count > 0)
            {
                if (_batches.IsEmpty)
                {
                    OnFirstPut?.Invoke(Context);
                }

                _batches.Enqueue([.. records.Select(r => r.KafkaOffset)]);
                foreach (var record in records)
                {
                    _records.Enqueue(record);
                }

                if (FailWith is { } error)
                {
                    throw error;
                }

                if (RetriableFailures > 0)
                {
                    RetriableFailures--;
                    Context.Timeout(1);
                    throw new RetriableException("not now");
                }
            }

            return inner.PutAsync(records, cancellationToken);
        }

        public override Task FlushAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) =>
            inner.FlushAsync(currentOffsets, cancellationToken);

        public override Task OpenAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) =>
            inner.OpenAsync(partitions, cancellationToken);

        public override Task CloseAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) =>
            inner.CloseAsync(partitions, cancellationToken);

        public override Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);
    }
}
