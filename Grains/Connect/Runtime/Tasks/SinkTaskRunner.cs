using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Runtime.Errors;
using Tributary.Grains.Connect.Runtime.Metrics;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Transforms;
using Tributary.Grains.Connect.Runtime.Worker;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// Runs a sink task over the partitions its connector gave it (Kafka's <c>WorkerSinkTask</c>): read from the group's
/// committed offsets, convert, transform, <c>put</c>, and every <c>offset.flush.interval.ms</c> (or when the task asks)
/// commit what <c>preCommit</c> answers to the <c>connect-&lt;name&gt;</c> group, so that standard tools show the sink's
/// lag. A <see cref="RetriableException"/> from <c>put</c> gives the same records again after the task's timeout.
/// While a batch is being put the next one is read and converted on another thread, so that the task's writes and the
/// conversion overlap; that batch is read again instead when, by the time it is due, the task has moved a position
/// (<c>SinkTaskContext.offset</c>) or paused one of its partitions. A batch's records count as consumed only once
/// they are put, those it skipped (tolerated errors, dropped by a transform) with them.
/// </summary>
public sealed class SinkTaskRunner : TaskRunner
{
    private static readonly TimeSpan ReadWait = TimeSpan.FromMilliseconds(500);

    private readonly ILogger _logger;
    private readonly TaskMetrics _metrics;
    private readonly SinkTask _task;
    private readonly IReadOnlyDictionary<string, string> _taskConfig;
    private readonly IReadOnlyCollection<TopicPartition> _assignment;
    private readonly TaskConverters _converters;
    private readonly TransformationChain<SinkRecord> _transforms;
    private readonly RetryWithTolerance _errors;
    private readonly IRecordReader _reader;
    private readonly TimeProvider _time;
    private readonly TimeSpan _flushInterval;
    private readonly SinkTaskContext _context;
    private readonly int _maxPollRecords;
    private readonly IReadOnlyList<IErrorReporter> _reporters;
    private readonly RetriableBackoff _backoff;
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly Dictionary<TopicPartition, long> _consumed = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];
    private readonly FetchBuffer _fetched = new();
    private ReadBatch? _retry;
    private Task<ReadBatch>? _prefetch;
    private volatile ReadBatch? _putting;
    private volatile ReadBatch? _putBefore;
    private DateTimeOffset _nextCommit;

    public SinkTaskRunner(
        SinkTask task, IReadOnlyDictionary<string, string> taskConfig, IReadOnlyCollection<TopicPartition> assignment,
        TaskConverters converters, TransformationChain<SinkRecord> transforms, RetryWithTolerance errors, IRecordReader reader,
        WorkerConfig worker, TimeProvider time, Action<TaskStatus> report, IReadOnlyList<IErrorReporter>? reporters = null,
        int maxPollRecords = 500, ILogger? logger = null, TaskMetrics? metrics = null)
        : base(report)
    {
        _metrics = metrics ?? TaskMetrics.Unmetered;
        _logger = logger ?? NullLogger.Instance;
        _backoff = new RetriableBackoff(time, _logger);
        _maxPollRecords = maxPollRecords;
        _task = task;
        _taskConfig = taskConfig;
        _assignment = assignment;
        _converters = converters;
        _transforms = transforms;
        _errors = errors;
        _reader = reader;
        _time = time;
        _flushInterval = TimeSpan.FromMilliseconds(worker.OffsetFlushIntervalMs);
        _reporters = reporters ?? [];
        _context = new SinkTaskContext(taskConfig, assignment, _reporters.Count > 0 ? new ErrantRecords(this) : null, _logger);
    }

    /// <summary>Records given to <c>put</c> so far.</summary>
    public long PutCount { get; private set; }

    protected override async Task StartAsync(CancellationToken cancellationToken)
    {
        _task.Initialize(_context);
        await _task.StartAsync(_taskConfig, cancellationToken).ConfigureAwait(false);
        var start = await _backoff.RunAsync(
            () => _reader.StartOffsetsAsync(_assignment, cancellationToken), "Fetching the committed offsets", cancellationToken).ConfigureAwait(false);
        foreach (var (partition, offset) in start)
        {
            _positions[partition] = offset;
            _consumed[partition] = offset;
            _committed[partition] = offset;
        }

        await _task.OpenAsync(_assignment, cancellationToken).ConfigureAwait(false);
        _nextCommit = _time.GetUtcNow() + _flushInterval;
    }

    protected override async Task IterateAsync(CancellationToken cancellationToken)
    {
        var batch = _retry;
        _retry = null;
        if (_prefetch is { } pending && (batch is null || _context.HasRequestedOffsets))
        {
            _prefetch = null;
            var next = await pending.ConfigureAwait(false);
            if (batch is null && !_context.HasRequestedOffsets && !next.Positions.Keys.Any(_context.IsPaused))
            {
                batch = next;
            }
            else
            {
                Rewind(next);
            }
        }

        ApplyRequestedOffsets();
        batch ??= await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (batch.Records.Count > 0 || _assignment.Count > 0)
        {
            if (batch.Records.Count > 0 && _prefetch is null)
            {
                _prefetch = Task.Run(() => ReadAsync(cancellationToken), cancellationToken);
            }

            if (_reporters.Count > 0 && batch.Records.Count > 0 && !ReferenceEquals(_putting, batch))
            {
                // Kept for the task's errant-record reports, with the batch of records put before it (empty puts in
                // between): a task may still be writing that one during this put, or the empty ones, and report its
                // records then. Without reporters a batch put is let go of at once: held until the next put, its
                // records outlived the collector's youngest generation while the next converted.
                _putBefore = _putting;
                _putting = batch;
            }

            if (!batch.ReadCounted)
            {
                // A batch read ahead and then discarded (its partitions read again) is counted when read again, as
                // Kafka counts the records a poll returns after a seek.
                batch.ReadCounted = true;
                _metrics.Read(batch.ReadCount);
            }

            try
            {
                var putting = Stopwatch.GetTimestamp();
                await _task.PutAsync(batch.Records, cancellationToken).ConfigureAwait(false);
                _metrics.Put(batch.Records.Count, Stopwatch.GetElapsedTime(putting));
                PutCount += batch.Records.Count;
            }
            catch (RetriableException)
            {
                _retry = batch;
                await Task.Delay(_context.TakeTimeout() ?? TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        foreach (var (partition, next) in batch.Consumed)
        {
            _consumed[partition] = Math.Max(_consumed.GetValueOrDefault(partition), next);
        }

        if (_time.GetUtcNow() >= _nextCommit || _context.TakeCommitRequest())
        {
            try
            {
                await CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RetriableException e)
            {
                // As Kafka's WorkerSinkTask: a failed offset commit is logged and the next one commits the later offsets.
                TaskRunnerLog.CommitFailed(_logger, e.Message);
            }
        }
    }

    protected override async Task StopAsync(bool failed)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            // A read still converting must be done before the converters and transforms go; its records were not put.
            if (_prefetch is { } pending)
            {
                _prefetch = null;
                await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await CommitAsync(timeout.Token).ConfigureAwait(false);
            await _task.CloseAsync(_assignment, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _task.StopAsync(timeout.Token).ConfigureAwait(false);
            _fetched.Dispose();
            _transforms.Dispose();
            _converters.Dispose();
        }
    }

    private async Task<ReadBatch> ReadAsync(CancellationToken cancellationToken)
    {
        var readable = _positions.Where(p => !_context.IsPaused(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        var batch = new ReadBatch(readable);
        if (readable.Count == 0)
        {
            await Task.Delay(ReadWait, _time, cancellationToken).ConfigureAwait(false);
            return batch;
        }

        // max.poll.records bounds a put; the records a read returned beyond it wait in the buffer for the next puts.
        var consumed = _fetched.Take(readable, _maxPollRecords);
        if (consumed.Count == 0)
        {
            _fetched.Fill(readable, await _backoff.RunAsync(
                () => _reader.ReadAsync(readable, ReadWait, cancellationToken), "Reading the task's partitions", cancellationToken).ConfigureAwait(false));
            consumed = _fetched.Take(readable, _maxPollRecords);
        }

        batch.ReadCount = consumed.Count;
        batch.Records.Capacity = consumed.Count;
        // The records come in runs of one partition: its position is moved once a run ends, not for every record (each
        // move hashed the topic's name twice).
        var run = default(PartitionRun);
        try
        {
            foreach (var record in consumed)
            {
                if (run.Count > 0 && record.Partition != run.Partition)
                {
                    Advance(batch, run);
                    run = default;
                }

                run = run.Count == 0
                    ? new PartitionRun(record.Partition, record.Offset + 1, record.Offset + 1, 1)
                    : run with { Next = Math.Max(run.Next, record.Offset + 1), Last = record.Offset + 1, Count = run.Count + 1 };
                var converted = await ConvertAsync(record, batch, cancellationToken).ConfigureAwait(false);
                if (converted is not null)
                {
                    batch.Records.Add(converted);
                }
            }
        }
        finally
        {
            if (run.Count > 0)
            {
                Advance(batch, run);
            }
        }

        return batch;
    }

    private void Advance(ReadBatch batch, PartitionRun run)
    {
        _positions[run.Partition] = Math.Max(_positions[run.Partition], run.Next);
        batch.Consumed[run.Partition] = run.Last;
    }

    /// <summary>A batch read ahead but not to be put: its partitions are read again from where it started.</summary>
    private void Rewind(ReadBatch batch)
    {
        foreach (var (partition, position) in batch.Positions)
        {
            _positions[partition] = position;
        }
    }

    /// <summary>A record's headers as Connect's; most records have none, and get no list.</summary>
    private IReadOnlyList<ConnectHeader> ConvertHeaders(string topic, IReadOnlyList<KeyValuePair<string, byte[]?>> headers)
    {
        if (headers.Count == 0)
        {
            return [];
        }

        var converted = new ConnectHeader[headers.Count];
        for (var i = 0; i < converted.Length; i++)
        {
            var (name, bytes) = headers[i];
            var header = _converters.Header.ToConnectHeader(topic, name, bytes);
            converted[i] = new ConnectHeader(name, header.Schema, header.Value);
        }

        return converted;
    }

    /// <summary>
    /// A record converted and transformed, or null when a tolerated failure skipped it. Every stage is first tried
    /// directly, without the error handling's wrapper around each: with every stage succeeding, which is nearly every
    /// record, that wrapper per stage had been about a tenth of a Parquet sink's samples. A stage that fails goes on
    /// under the handling from that attempt, with the stages before it kept, as if the handling had made it.
    /// </summary>
    private ValueTask<SinkRecord?> ConvertAsync(ConsumerRecord record, ReadBatch batch, CancellationToken cancellationToken)
    {
        var topic = record.Partition.Topic;
        var stage = ErrorStage.KeyConverter;
        SchemaAndValue? key = null;
        SchemaAndValue? value = null;
        IReadOnlyList<ConnectHeader>? headers = null;
        try
        {
            key = _converters.Key.ToConnectData(topic, record.Key);
            stage = ErrorStage.ValueConverter;
            value = _converters.Value.ToConnectData(topic, record.Value);
            stage = ErrorStage.HeaderConverter;
            headers = ConvertHeaders(topic, record.Headers);
            stage = ErrorStage.Transformation;
            return new(Delivered(_transforms.Apply(ToSinkRecord(record, key, value, headers)), record, batch));
        }
        catch (Exception e) when (RetryWithTolerance.Handles(e))
        {
            return ConvertAfterFailureAsync(record, batch, new ConvertedSoFar(stage, key, value, headers, e), cancellationToken);
        }
    }

    /// <summary>The stages of <see cref="ConvertAsync"/> from the one that failed, each under the error handling.</summary>
    private async ValueTask<SinkRecord?> ConvertAfterFailureAsync(ConsumerRecord record, ReadBatch batch, ConvertedSoFar done, CancellationToken cancellationToken)
    {
        // Static operations with their input passed in: no closure per record.
        var (key, keyFailed) = done.Stage == ErrorStage.KeyConverter
            ? await _errors.ContinueAfterFailureAsync(ErrorStage.KeyConverter, _converters.KeyClass, ConvertKey, (Converters: _converters, Record: record),
                done.Error, cancellationToken).ConfigureAwait(false)
            : (done.Key, null);
        var (value, valueFailed) = done.Stage == ErrorStage.ValueConverter
            ? await _errors.ContinueAfterFailureAsync(ErrorStage.ValueConverter, _converters.ValueClass, ConvertValue, (Converters: _converters, Record: record),
                done.Error, cancellationToken).ConfigureAwait(false)
            : done.Stage == ErrorStage.KeyConverter
                ? await _errors.ExecuteAsync(ErrorStage.ValueConverter, _converters.ValueClass, ConvertValue, (Converters: _converters, Record: record),
                    cancellationToken).ConfigureAwait(false)
                : (done.Value, null);
        var (headers, headersFailed) = done.Stage == ErrorStage.HeaderConverter
            ? await _errors.ContinueAfterFailureAsync(ErrorStage.HeaderConverter, _converters.HeaderClass, ConvertRecordHeaders, (Runner: this, Record: record),
                done.Error, cancellationToken).ConfigureAwait(false)
            : done.Stage is ErrorStage.KeyConverter or ErrorStage.ValueConverter
                ? await _errors.ExecuteAsync(ErrorStage.HeaderConverter, _converters.HeaderClass, ConvertRecordHeaders, (Runner: this, Record: record),
                    cancellationToken).ConfigureAwait(false)
                : (done.Headers, null);
        if ((keyFailed ?? valueFailed ?? headersFailed) is { } conversionFailed)
        {
            await ReportAsync(conversionFailed, record, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var sinkRecord = ToSinkRecord(record, key!, value!, headers!);
        var (transformed, failed) = done.Stage == ErrorStage.Transformation
            ? await _errors.ContinueAfterFailureAsync(ErrorStage.Transformation, "transforms", ApplyTransforms, (Transforms: _transforms, Record: sinkRecord),
                done.Error, cancellationToken).ConfigureAwait(false)
            : await _errors.ExecuteAsync(ErrorStage.Transformation, "transforms", ApplyTransforms, (Transforms: _transforms, Record: sinkRecord),
                cancellationToken).ConfigureAwait(false);
        if (failed is not null)
        {
            await ReportAsync(failed, record, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return Delivered(transformed, record, batch);
    }

    private static SchemaAndValue ConvertKey((TaskConverters Converters, ConsumerRecord Record) s) =>
        s.Converters.Key.ToConnectData(s.Record.Partition.Topic, s.Record.Key);

    private static SchemaAndValue ConvertValue((TaskConverters Converters, ConsumerRecord Record) s) =>
        s.Converters.Value.ToConnectData(s.Record.Partition.Topic, s.Record.Value);

    private static IReadOnlyList<ConnectHeader> ConvertRecordHeaders((SinkTaskRunner Runner, ConsumerRecord Record) s) =>
        s.Runner.ConvertHeaders(s.Record.Partition.Topic, s.Record.Headers);

    private static SinkRecord? ApplyTransforms((TransformationChain<SinkRecord> Transforms, SinkRecord Record) s) => s.Transforms.Apply(s.Record);

    private static SinkRecord ToSinkRecord(ConsumerRecord record, SchemaAndValue key, SchemaAndValue value, IReadOnlyList<ConnectHeader> headers) =>
        new(record.Partition.Topic, record.Partition.Partition, key.Schema, key.Value, value.Schema, value.Value, record.Offset,
            record.Timestamp, record.TimestampType, headers);

    // With error reporters, the consumed form of each record to put is kept, for a report the task makes of it.
    private SinkRecord? Delivered(SinkRecord? transformed, ConsumerRecord record, ReadBatch batch)
    {
        if (transformed is not null && _reporters.Count > 0)
        {
            batch.Delivered[(record.Partition, record.Offset)] = record;
        }

        return transformed;
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        _nextCommit = _time.GetUtcNow() + _flushInterval;
        var current = new Dictionary<TopicPartition, long>(_consumed);
        var safe = await _task.PreCommitAsync(current, cancellationToken).ConfigureAwait(false);
        var changed = safe.Where(p => _assignment.Contains(p.Key) && _committed.GetValueOrDefault(p.Key, -1) != p.Value)
            .ToDictionary(p => p.Key, p => p.Value);
        if (changed.Count == 0)
        {
            return;
        }

        var committing = Stopwatch.GetTimestamp();
        try
        {
            await _reader.CommitAsync(changed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.OffsetsCommitted(false, Stopwatch.GetElapsedTime(committing));
            throw;
        }

        _metrics.OffsetsCommitted(true, Stopwatch.GetElapsedTime(committing));
        foreach (var (partition, offset) in changed)
        {
            _committed[partition] = offset;
        }
    }

    private void ApplyRequestedOffsets()
    {
        foreach (var (partition, offset) in _context.TakeOffsets())
        {
            if (_positions.ContainsKey(partition))
            {
                _positions[partition] = offset;
                _consumed[partition] = offset;
            }
        }
    }

    private async Task ReportAsync(ProcessingFailure failure, ConsumerRecord record, CancellationToken cancellationToken)
    {
        foreach (var reporter in _reporters)
        {
            await reporter.ReportAsync(new ErrorContext(failure, record, null), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The task's errant record reporter (KIP-610), given when a dead-letter queue or error log is configured: the
    /// record as it was consumed goes to the reporters; with <c>errors.tolerance=none</c> the task fails instead.
    /// </summary>
    private sealed class ErrantRecords(SinkTaskRunner runner) : IErrantRecordReporter
    {
        public async Task ReportAsync(SinkRecord record, Exception error)
        {
            var failure = runner._errors.Fail(ErrorStage.TaskPut, runner._task.GetType().FullName ?? "SinkTask", error);
            var partition = new TopicPartition(record.OriginalTopic, record.OriginalKafkaPartition);
            var key = (partition, record.OriginalKafkaOffset);
            if (runner._putting is { } batch && batch.Delivered.TryGetValue(key, out var consumed) ||
                runner._putBefore is { } before && before.Delivered.TryGetValue(key, out consumed))
            {
                await runner.ReportAsync(failure, consumed, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What a record's conversion had done when a stage failed: that stage, the results before it, the failure.</summary>
    private sealed record ConvertedSoFar(
        ErrorStage Stage, SchemaAndValue? Key, SchemaAndValue? Value, IReadOnlyList<ConnectHeader>? Headers, Exception Error);

    /// <summary>Consecutive records of one partition in a read: the highest position after them, the one after the last, how many.</summary>
    private readonly record struct PartitionRun(TopicPartition Partition, long Next, long Last, int Count);

    /// <summary>
    /// One read: the positions it started from, the records to put, the position after each partition's last record
    /// read (put or skipped), and, with error reporters, the consumed form of each record to put.
    /// </summary>
    private sealed class ReadBatch(Dictionary<TopicPartition, long> positions)
    {
        public Dictionary<TopicPartition, long> Positions { get; } = positions;

        public List<SinkRecord> Records { get; } = [];

        public Dictionary<TopicPartition, long> Consumed { get; } = [];

        public Dictionary<(TopicPartition Partition, long Offset), ConsumerRecord> Delivered { get; } = [];

        /// <summary>Records read from Kafka into this batch; counted once the batch is taken to be put, not if it is read again.</summary>
        public int ReadCount { get; set; }

        public bool ReadCounted { get; set; }
    }
}
