using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Runtime.Errors;
using Tributary.Grains.Connect.Runtime.Metrics;
using Tributary.Grains.Connect.Runtime.Offsets;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Transforms;
using Tributary.Grains.Connect.Runtime.Worker;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// Runs a source task (Kafka's <c>WorkerSourceTask</c>, at-least-once): poll, transform, convert, write, then remember
/// each source partition's latest offset; the offsets are committed every <c>offset.flush.interval.ms</c> and when the
/// task stops, only for records already written. After a crash a task starts again from the last committed offsets, so
/// records written since are written again, never lost. Records are written in poll order; as Kafka's producer sends
/// while the task polls again, polls are converted and written by a writer beside the task's thread, several at once
/// when they queued up during the last write, and converted while the write before them is under way (with
/// exactly-once delivery each poll is converted and written before the next, inside its transaction).
/// </summary>
public sealed class SourceTaskRunner : TaskRunner
{
    private readonly SourceTask _task;
    private readonly IReadOnlyDictionary<string, string> _taskConfig;
    private readonly TaskConverters _converters;
    private readonly TransformationChain<SourceRecord> _transforms;
    private readonly RetryWithTolerance _errors;
    private readonly IRecordWriter _writer;
    private readonly ISourceOffsetStore _offsets;
    private readonly TimeProvider _time;
    private readonly TimeSpan _flushInterval;
    private readonly Action<string> _topicUsed;
    private readonly IReadOnlyList<IErrorReporter> _reporters;
    private readonly ExactlyOnceSource? _exactlyOnce;
    private readonly ILogger _logger;
    private readonly TaskMetrics _metrics;
    private readonly TransactionRequests _transactionRequests = new();
    private bool _writeIncomplete;
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private DateTimeOffset _nextFlush;
    private readonly PollWriteQueue<PolledRecords, IReadOnlyList<PreparedPoll>> _queue;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyDictionary<string, object?>, string> _immutablePartitionKeys = [];
    private long _written;

    public SourceTaskRunner(
        SourceTask task, IReadOnlyDictionary<string, string> taskConfig, TaskConverters converters,
        TransformationChain<SourceRecord> transforms, RetryWithTolerance errors, IRecordWriter writer,
        ISourceOffsetStore offsets, WorkerConfig worker, TimeProvider time, Action<TaskStatus> report, Action<string> topicUsed,
        IReadOnlyList<IErrorReporter>? reporters = null, ExactlyOnceSource? exactlyOnce = null, ILogger? logger = null, TaskMetrics? metrics = null)
        : base(report)
    {
        _metrics = metrics ?? TaskMetrics.Unmetered;
        _logger = logger ?? NullLogger.Instance;
        _reporters = reporters ?? [];
        _exactlyOnce = exactlyOnce;
        _task = task;
        _taskConfig = taskConfig;
        _converters = converters;
        _transforms = transforms;
        _errors = errors;
        _writer = writer;
        _offsets = offsets;
        _time = time;
        _flushInterval = TimeSpan.FromMilliseconds(worker.OffsetFlushIntervalMs);
        _topicUsed = topicUsed;
        _queue = new PollWriteQueue<PolledRecords, IReadOnlyList<PreparedPoll>>(PrepareQueuedAsync, WriteAsync, MaxQueuedRecords);
        _commitsRecords = task.GetType().GetMethod(
            nameof(SourceTask.CommitRecordAsync), [typeof(SourceRecord), typeof(RecordMetadata), typeof(CancellationToken)])?.DeclaringType != typeof(SourceTask);
    }

    /// <summary>
    /// Whether the task overrides <see cref="SourceTask.CommitRecordAsync"/>: most do not, and a call per record with
    /// its metadata to a method that does nothing is left out for them.
    /// </summary>
    private readonly bool _commitsRecords;

    /// <summary>
    /// Records polled and not yet taken by the writer before the task's next poll waits (Kafka's <c>buffer.memory</c>,
    /// in records). Few: queued records outlive the collector's youngest generation, and a JDBC source with 1,500 had
    /// 47 gen1 collections and 0.26 s of pauses per million rows against 8 and 0.13 s with 500 (with 5,000 its batches
    /// also went to the large object heap, and the pauses took 0.7 s).
    /// </summary>
    private const int MaxQueuedRecords = 500;

    /// <summary>A poll as the task returned it, with its offsets read at once, before the task can change its maps.</summary>
    private sealed record PolledRecords(IReadOnlyList<SourceRecord> Records, Dictionary<string, string> Offsets);

    /// <summary>Records written so far.</summary>
    public long WrittenCount => Interlocked.Read(ref _written);

    protected override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_exactlyOnce is { } exactlyOnce)
        {
            await exactlyOnce.Writer.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        _task.Initialize(new Context(_taskConfig, new StoredOffsetReader(_offsets),
            _exactlyOnce?.Boundary == TransactionBoundary.Connector ? _transactionRequests : null, _logger));
        await _task.StartAsync(_taskConfig, cancellationToken).ConfigureAwait(false);
        // With transaction.boundary=interval the first transaction, as every later one, lasts its own interval.
        _nextFlush = _time.GetUtcNow() + (_exactlyOnce?.Interval ?? _flushInterval);
    }

    protected override async Task IterateAsync(CancellationToken cancellationToken)
    {
        if (_queue.Failed)
        {
            await _queue.WrittenAsync().ConfigureAwait(false); // a write that failed fails the task now, as Kafka's send errors do
        }

        var polling = Stopwatch.GetTimestamp();
        var polled = await _task.PollAsync(cancellationToken).ConfigureAwait(false);
        if (polled is { Count: > 0 })
        {
            _metrics.Polled(polled.Count, Stopwatch.GetElapsedTime(polling));
        }

        if (_exactlyOnce is not null)
        {
            if (polled is { Count: > 0 })
            {
                var prepared = await PrepareAsync(polled, LatestOffsets(polled), cancellationToken).ConfigureAwait(false);
                await WriteAsync([prepared], cancellationToken).ConfigureAwait(false);
            }

            await EndTransactionIfDueAsync(polled is { Count: > 0 }, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (polled is { Count: > 0 })
        {
            await _queue.EnqueueAsync(new PolledRecords(polled, LatestOffsets(polled)), polled.Count, cancellationToken).ConfigureAwait(false);
        }

        if (_time.GetUtcNow() >= _nextFlush)
        {
            await _queue.WrittenAsync().ConfigureAwait(false);
            await CommitOffsetsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The writer's first part: the polls queued since it last looked, transformed and converted, to be written as one.</summary>
    private async Task<IReadOnlyList<PreparedPoll>> PrepareQueuedAsync(IReadOnlyList<PolledRecords> polls, CancellationToken cancellationToken)
    {
        var prepared = new List<PreparedPoll>(polls.Count);
        foreach (var poll in polls)
        {
            prepared.Add(await PrepareAsync(poll.Records, poll.Offsets, cancellationToken).ConfigureAwait(false));
        }

        return prepared;
    }

    protected override async Task StopAsync(bool failed)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            if (_exactlyOnce is not null && (failed || _writeIncomplete))
            {
                // A poll whose write failed or was cut short may have written its offsets and not all its records:
                // committing that transaction would skip records, so it is aborted and the poll read again.
                await _exactlyOnce.Writer.AbortAsync(timeout.Token).ConfigureAwait(false);
            }
            else if (_exactlyOnce is not null)
            {
                await CommitTransactionAsync(timeout.Token).ConfigureAwait(false);
            }
            else
            {
                // Only offsets of records written are pending: a write that failed leaves its polls uncommitted.
                await _queue.WrittenAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

                await CommitOffsetsAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            await _task.StopAsync(timeout.Token).ConfigureAwait(false);
            _transforms.Dispose();
            _converters.Dispose();
        }
    }

    /// <summary>A poll transformed and converted: what to write, the records it came from, those dropped, and the poll's offsets.</summary>
    private sealed record PreparedPoll(
        List<ProducerRecord> Outgoing, IReadOnlyList<SourceRecord> Sources, IReadOnlyList<SourceRecord> Dropped, Dictionary<string, string> Offsets,
        int DataCount);

    private async Task<PreparedPoll> PrepareAsync(
        IReadOnlyList<SourceRecord> polled, Dictionary<string, string> offsets, CancellationToken cancellationToken)
    {
        var outgoing = new List<ProducerRecord>(polled.Count);

        // Until a record is dropped, the records written are the poll itself: lists of their own only from the first drop.
        List<SourceRecord>? sources = null;
        List<SourceRecord>? dropped = null;
        for (var i = 0; i < polled.Count; i++)
        {
            var record = polled[i];
            var converted = await ConvertAsync(record, cancellationToken).ConfigureAwait(false);
            if (converted is null)
            {
                sources ??= [.. polled.Take(i)];
                (dropped ??= []).Add(record);
                continue;
            }

            outgoing.Add(converted);
            sources?.Add(record);
        }

        var dataCount = outgoing.Count;
        if (_exactlyOnce is { } exactlyOnce)
        {
            // The offsets go in the same transaction as the records that reach them: both are visible, or neither.
            outgoing.AddRange(offsets.Select(o => OffsetRecords.Write(exactlyOnce.OffsetsTopic, exactlyOnce.Connector, o.Key, o.Value)));
        }

        return new PreparedPoll(outgoing, sources ?? polled, dropped ?? [], offsets, dataCount);
    }

    /// <summary>Writes polls in one write, then takes their offsets as pending and tells the task each record's fate, poll by poll.</summary>
    private async Task WriteAsync(IReadOnlyList<PreparedPoll> polls, CancellationToken cancellationToken)
    {
        var outgoing = polls.Count == 1 ? polls[0].Outgoing : Merged(polls);
        IReadOnlyList<ProducedRecord> written = [];
        if (outgoing.Count > 0)
        {
            _writeIncomplete = true;
            if (_commitsRecords)
            {
                written = await _writer.WriteAsync(outgoing, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _writer.WriteOnlyAsync(outgoing, cancellationToken).ConfigureAwait(false);
            }

            _writeIncomplete = false;
            var dataCount = polls.Sum(p => p.DataCount);
            Interlocked.Add(ref _written, dataCount);
            _metrics.Written(dataCount);
            NoteTopics(polls);
        }

        var first = 0;
        foreach (var (pollOutgoing, sources, dropped, offsets, _) in polls)
        {
            foreach (var (partition, offset) in offsets)
            {
                _pending[partition] = offset;
            }

            if (!_commitsRecords)
            {
                continue;
            }

            for (var i = 0; i < sources.Count; i++)
            {
                var w = written[first + i];
                await _task.CommitRecordAsync(sources[i], new RecordMetadata(w.Topic, w.Partition, w.Offset, w.Timestamp), cancellationToken).ConfigureAwait(false);
            }

            foreach (var record in dropped)
            {
                await _task.CommitRecordAsync(record, null, cancellationToken).ConfigureAwait(false);
            }

            first += pollOutgoing.Count;
        }
    }

    /// <summary>The polls' records in order, in one list of their exact size.</summary>
    private static List<ProducerRecord> Merged(IReadOnlyList<PreparedPoll> polls)
    {
        var count = 0;
        foreach (var poll in polls)
        {
            count += poll.Outgoing.Count;
        }

        var merged = new List<ProducerRecord>(count);
        foreach (var poll in polls)
        {
            merged.AddRange(poll.Outgoing);
        }

        return merged;
    }

    /// <summary>Reports each topic the first time a record is written to it.</summary>
    private void NoteTopics(IReadOnlyList<PreparedPoll> polls)
    {
        string? last = null;
        foreach (var poll in polls)
        {
            for (var i = 0; i < poll.DataCount; i++)
            {
                var topic = poll.Outgoing[i].Topic;
                if (!ReferenceEquals(topic, last) && _topics.Add(last = topic))
                {
                    _topicUsed(topic);
                }
            }
        }
    }

    /// <summary>
    /// Each source partition's last offset in the poll, as JSON text (a dropped record's offset counts too, as in Kafka,
    /// since nothing of it is to be written), in the order the partitions first appear. Only the
    /// last offset counts, so the poll is walked backwards and each partition's offset serialized once: serializing a
    /// partition and an offset for every record (a stream, a JSON writer and a sort each) was the runtime's largest cost
    /// per 100-byte record and most of its garbage. A partition map the task reuses for its records, as most tasks do,
    /// is serialized once per poll too; the maps are read after the poll either way, so a map changed in place is read
    /// as it ends up in both. A map that cannot change (frozen or immutable) is serialized once for good.
    /// </summary>
    private Dictionary<string, string> LatestOffsets(IReadOnlyList<SourceRecord> polled)
    {
        var keys = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        var latest = new Dictionary<string, (int First, string Offset)>(StringComparer.Ordinal);

        // Records of one partition map mostly come in runs: a run is looked up once, where it starts (walking back).
        object? runPartition = null;
        string? runKey = null;
        var runFirst = -1;
        void EndRun()
        {
            if (runKey is not null)
            {
                latest[runKey] = (runFirst, latest[runKey].Offset);
            }
        }

        for (var i = polled.Count - 1; i >= 0; i--)
        {
            if (polled[i].SourcePartition is not { } partition || polled[i].SourceOffset is not { } offset)
            {
                continue;
            }

            if (ReferenceEquals(partition, runPartition))
            {
                runFirst = i;
                continue;
            }

            EndRun();
            if (!keys.TryGetValue(partition, out var key))
            {
                key = PartitionKey(partition);
                keys[partition] = key;
            }

            (runPartition, runKey, runFirst) = (partition, key, i);
            latest.TryAdd(key, (i, OffsetJson.Write(offset)));
        }

        EndRun();

        var offsets = new Dictionary<string, string>(latest.Count, StringComparer.Ordinal);
        foreach (var (key, (_, offset)) in latest.Count == 1 ? latest : (IEnumerable<KeyValuePair<string, (int First, string Offset)>>)latest.OrderBy(l => l.Value.First))
        {
            offsets[key] = offset;
        }

        return offsets;
    }

    /// <summary>A source partition as the JSON its offsets are stored under; a map that cannot change is serialized once.</summary>
    private string PartitionKey(IReadOnlyDictionary<string, object?> partition)
    {
        if (partition is not (System.Collections.Frozen.FrozenDictionary<string, object?> or System.Collections.Immutable.ImmutableDictionary<string, object?>))
        {
            return OffsetJson.Write(partition);
        }

        if (!_immutablePartitionKeys.TryGetValue(partition, out var key))
        {
            key = OffsetJson.Write(partition);
            _immutablePartitionKeys.AddOrUpdate(partition, key);
        }

        return key;
    }

    /// <summary>
    /// The record transformed and converted, or null when a transform dropped it or a tolerated error skipped it. Every
    /// stage is first tried directly, without the error handling's wrapper around each, which nearly every record
    /// needs no more than that; a stage that fails goes on under the handling from that attempt, with the stages before
    /// it kept, as if the handling had made it.
    /// </summary>
    private ValueTask<ProducerRecord?> ConvertAsync(SourceRecord record, CancellationToken cancellationToken)
    {
        var stage = ErrorStage.Transformation;
        SourceRecord? transformed = null;
        byte[]? key = null;
        byte[]? value = null;
        try
        {
            transformed = _transforms.Apply(record);
            if (transformed is null)
            {
                return new((ProducerRecord?)null);
            }

            stage = ErrorStage.KeyConverter;
            key = _converters.Key.FromConnectData(transformed.Topic, transformed.KeySchema, transformed.Key);
            stage = ErrorStage.ValueConverter;
            value = _converters.Value.FromConnectData(transformed.Topic, transformed.ValueSchema, transformed.Value);
            stage = ErrorStage.HeaderConverter;
            return new(ToProducerRecord(transformed, key, value, ConvertHeaders(transformed)));
        }
        catch (Exception e) when (RetryWithTolerance.Handles(e))
        {
            return ConvertAfterFailureAsync(record, new ConvertedSoFar(stage, transformed, key, value, e), cancellationToken);
        }
    }

    /// <summary>The stages of <see cref="ConvertAsync"/> from the one that failed, each under the error handling.</summary>
    private async ValueTask<ProducerRecord?> ConvertAfterFailureAsync(SourceRecord record, ConvertedSoFar done, CancellationToken cancellationToken)
    {
        var transformed = done.Transformed;
        if (done.Stage == ErrorStage.Transformation)
        {
            // Static operations with their input passed in: no closure per record.
            (transformed, var failed) = await _errors.ContinueAfterFailureAsync(ErrorStage.Transformation, "transforms", ApplyTransforms,
                (Transforms: _transforms, Record: record), done.Error, cancellationToken).ConfigureAwait(false);
            if (failed is not null)
            {
                await ReportAsync(failed, record, cancellationToken).ConfigureAwait(false);
                return null;
            }

            if (transformed is null)
            {
                return null;
            }
        }

        var converting = (Converters: _converters, Record: transformed!);
        var (key, keyFailed) = done.Stage switch
        {
            ErrorStage.KeyConverter => await _errors.ContinueAfterFailureAsync(ErrorStage.KeyConverter, _converters.KeyClass, ConvertKey, converting,
                done.Error, cancellationToken).ConfigureAwait(false),
            ErrorStage.Transformation => await _errors.ExecuteAsync(ErrorStage.KeyConverter, _converters.KeyClass, ConvertKey, converting,
                cancellationToken).ConfigureAwait(false),
            _ => (done.Key, null),
        };
        var (value, valueFailed) = done.Stage switch
        {
            ErrorStage.ValueConverter => await _errors.ContinueAfterFailureAsync(ErrorStage.ValueConverter, _converters.ValueClass, ConvertValue, converting,
                done.Error, cancellationToken).ConfigureAwait(false),
            ErrorStage.Transformation or ErrorStage.KeyConverter => await _errors.ExecuteAsync(ErrorStage.ValueConverter, _converters.ValueClass, ConvertValue,
                converting, cancellationToken).ConfigureAwait(false),
            _ => (done.Value, null),
        };
        var (headers, headersFailed) = done.Stage == ErrorStage.HeaderConverter
            ? await _errors.ContinueAfterFailureAsync(ErrorStage.HeaderConverter, _converters.HeaderClass, ConvertRecordHeaders,
                (Runner: this, Record: transformed!), done.Error, cancellationToken).ConfigureAwait(false)
            : await _errors.ExecuteAsync(ErrorStage.HeaderConverter, _converters.HeaderClass, ConvertRecordHeaders,
                (Runner: this, Record: transformed!), cancellationToken).ConfigureAwait(false);
        if ((keyFailed ?? valueFailed ?? headersFailed) is { } conversionFailed)
        {
            await ReportAsync(conversionFailed, record, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return ToProducerRecord(transformed!, key, value, headers!);
    }

    private static SourceRecord? ApplyTransforms((TransformationChain<SourceRecord> Transforms, SourceRecord Record) s) => s.Transforms.Apply(s.Record);

    private static byte[]? ConvertKey((TaskConverters Converters, SourceRecord Record) s) =>
        s.Converters.Key.FromConnectData(s.Record.Topic, s.Record.KeySchema, s.Record.Key);

    private static byte[]? ConvertValue((TaskConverters Converters, SourceRecord Record) s) =>
        s.Converters.Value.FromConnectData(s.Record.Topic, s.Record.ValueSchema, s.Record.Value);

    private static IReadOnlyList<KeyValuePair<string, byte[]?>> ConvertRecordHeaders((SourceTaskRunner Runner, SourceRecord Record) s) =>
        s.Runner.ConvertHeaders(s.Record);

    private static ProducerRecord ToProducerRecord(SourceRecord transformed, byte[]? key, byte[]? value, IReadOnlyList<KeyValuePair<string, byte[]?>> headers) =>
        new(transformed.Topic, transformed.KafkaPartition, key, value, headers, transformed.Timestamp);

    /// <summary>What a record's conversion had done when a stage failed: that stage, the results before it, the failure.</summary>
    private sealed record ConvertedSoFar(ErrorStage Stage, SourceRecord? Transformed, byte[]? Key, byte[]? Value, Exception Error);

    private async Task ReportAsync(ProcessingFailure failure, SourceRecord record, CancellationToken cancellationToken)
    {
        foreach (var reporter in _reporters)
        {
            await reporter.ReportAsync(new ErrorContext(failure, null, record), cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly IReadOnlyList<KeyValuePair<string, byte[]?>> NoHeaders = [];

    private IReadOnlyList<KeyValuePair<string, byte[]?>> ConvertHeaders(SourceRecord record)
    {
        // Most records have none: no list, iterator and delegate each.
        if (!record.HasHeaders)
        {
            return NoHeaders;
        }

        var converted = new List<KeyValuePair<string, byte[]?>>(record.Headers.Count);
        foreach (var header in record.Headers)
        {
            converted.Add(new(header.Key, _converters.Header.FromConnectHeader(record.Topic, header.Key, header.Schema, header.Value)));
        }

        return converted;
    }

    /// <summary>Ends the open transaction when its boundary says so: after each poll, each interval, or when the connector asks.</summary>
    private async Task EndTransactionIfDueAsync(bool polledRecords, CancellationToken cancellationToken)
    {
        var boundary = _exactlyOnce!.Boundary;
        if (boundary == TransactionBoundary.Connector)
        {
            switch (_transactionRequests.Take())
            {
                case TransactionRequest.Commit:
                    await CommitTransactionAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case TransactionRequest.Abort:
                    await _exactlyOnce.Writer.AbortAsync(cancellationToken).ConfigureAwait(false);
                    _pending.Clear();
                    break;
            }
        }
        else if ((boundary == TransactionBoundary.Poll && polledRecords) || (boundary == TransactionBoundary.Interval && _time.GetUtcNow() >= _nextFlush))
        {
            await CommitTransactionAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Commits the open transaction, then shows its offsets in the connector's stored offsets (for the REST API).</summary>
    private async Task CommitTransactionAsync(CancellationToken cancellationToken)
    {
        _nextFlush = _time.GetUtcNow() + (_exactlyOnce!.Interval ?? _flushInterval);
        if (!_exactlyOnce.Writer.InTransaction)
        {
            return;
        }

        await _exactlyOnce.Writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        await CommitOffsetsAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CommitOffsetsAsync(CancellationToken cancellationToken)
    {
        if (_exactlyOnce is null)
        {
            _nextFlush = _time.GetUtcNow() + _flushInterval;
        }

        if (_pending.Count == 0)
        {
            return;
        }

        var offsets = new Dictionary<string, string>(_pending, StringComparer.Ordinal);
        var committing = Stopwatch.GetTimestamp();
        try
        {
            await _offsets.CommitAsync(offsets, cancellationToken).ConfigureAwait(false);
        }
        catch (RetriableException e)
        {
            // As Kafka's WorkerSourceTask: offsets that could not be flushed stay pending for the next flush.
            _metrics.OffsetsCommitted(false, Stopwatch.GetElapsedTime(committing));
            TaskRunnerLog.CommitFailed(_logger, e.Message);
            return;
        }

        _metrics.OffsetsCommitted(true, Stopwatch.GetElapsedTime(committing));
        foreach (var (partition, offset) in offsets)
        {
            if (_pending.TryGetValue(partition, out var current) && current == offset)
            {
                _pending.Remove(partition);
            }
        }

        await _task.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record Context(
        IReadOnlyDictionary<string, string> Configs, IOffsetStorageReader OffsetStorageReader, ITransactionContext? TransactionContext, ILogger Logger)
        : ISourceTaskContext;
}
